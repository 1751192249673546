import compress from "@fastify/compress";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export type Encoding = "br" | "gzip";

/**
 * What gets compressed: HTML, JSON, scripts, styles and SVG. Never a live stream
 * (text/event-stream: each event must reach the reader when it happens, and the stream is
 * written to the socket directly anyway), never what is compressed already (images, fonts).
 */
const COMPRESSIBLE = /^(?:text\/(?!event-stream)|application\/(?:[\w.-]+\+)?(?:json|javascript|xml)|image\/svg\+xml)/;

/** Below this a response fits one packet either way, and compressing costs more than it saves. */
export const COMPRESSION_THRESHOLD = 1024;

/** br at quality 4 and gzip at 6: a few hundred microseconds for a 30 KB page, most of the gain. */
const BROTLI_QUALITY = 4;

/** Compresses every compressible answer for clients that ask (br first, then gzip). */
export async function installCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    // Request bodies stay as sent: a compressed body would slip a large payload past bodyLimit.
    globalDecompression: false,
    encodings: ["br", "gzip"],
    threshold: COMPRESSION_THRESHOLD,
    customTypes: COMPRESSIBLE,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
}

/** The encoding to answer with for this `accept-encoding`: br, then gzip, honouring `q=0`. */
export function acceptedEncoding(header: string | string[] | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of String(header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const wants = (name: Encoding) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (wants("br")) return "br";
  if (wants("gzip")) return "gzip";
  return null;
}

export function compressBody(body: string, encoding: Encoding): Buffer {
  return encoding === "br"
    ? brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body),
        },
      })
    : gzipSync(body);
}

/**
 * The encoding to send a body of `size` bytes with, when this node compresses at all. Routes
 * that keep a compressed copy (the page cache) ask this, then send the copy with
 * `sendEncoded`; the plugin leaves an answer that already has a content-encoding alone.
 */
export function encodingFor(request: FastifyRequest, size: number): Encoding | null {
  if (!request.server.deps.config.compression || size < COMPRESSION_THRESHOLD) return null;
  if (request.headers["x-no-compression"] !== undefined) return null;
  return acceptedEncoding(request.headers["accept-encoding"]);
}

export function sendEncoded(reply: FastifyReply, body: Buffer, encoding: Encoding): FastifyReply {
  const vary = reply.getHeader("vary");
  const varies = [vary ?? []].flat().map(String).filter(Boolean);
  if (!varies.some((v) => /(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(v))) varies.push("accept-encoding");
  return reply
    .header("content-encoding", encoding)
    .header("vary", varies.join(", "))
    .header("content-length", body.length)
    .send(body);
}
