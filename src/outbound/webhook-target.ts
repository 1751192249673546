import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

/**
 * Where a webhook may be sent. An admin's webhook URL is a request Parley makes from inside
 * its own network, so by default it may only reach public addresses: not the machine itself,
 * not the private network behind it, not the cloud metadata endpoint (169.254.169.254). The URL
 * is checked when it is saved (literal addresses and `localhost`) and again at each delivery,
 * after DNS, on the very address the connection then uses (so a name cannot be re-pointed
 * between the check and the connect). Redirects are never followed: a 3xx is a failed delivery.
 */

const V4_RANGES: [string, number][] = [
  ["0.0.0.0", 8], // "this network", with 0.0.0.0 (unspecified) in it
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, the cloud metadata endpoint
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, with 255.255.255.255 (broadcast)
];

const V6_RANGES: [string, number][] = [
  ["::", 96], // unspecified (::), loopback (::1) and the old IPv4-compatible form
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard-only
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

/** Every non-public range; IPv4-mapped IPv6 (::ffff:10.0.0.1) is matched by the IPv4 rules. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of V4_RANGES) {
  NOT_PUBLIC.addSubnet(net, prefix, "ipv4");
  // The same IPv4 range reached through NAT64 (64:ff9b::/96) or 6to4 (2002::/16).
  NOT_PUBLIC.addSubnet(`64:ff9b::${net}`, 96 + prefix, "ipv6");
  const [a, b, c, d] = net.split(".").map(Number) as [number, number, number, number];
  NOT_PUBLIC.addSubnet(`2002:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}::`, 16 + prefix, "ipv6");
}
for (const [net, prefix] of V6_RANGES) NOT_PUBLIC.addSubnet(net, prefix, "ipv6");

/** True for an IP address on the public internet; false for loopback, private, link-local and the like. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();

/** Names that always mean this machine (RFC 6761), whatever DNS says. */
const isLocalName = (host: string) => host === "localhost" || host.endsWith(".localhost") || host === "localhost.localdomain";

function refused(message: string): AppError {
  return new AppError(400, ErrorCodes.WEBHOOK_URL_NOT_PUBLIC, message);
}

/**
 * The check when an admin saves a URL: a literal private address or a local name is refused
 * with a 400. Names that resolve privately are caught at delivery (DNS can change anyway).
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(400, ErrorCodes.INVALID_URL, "The webhook URL is not a valid URL.");
  }
  if (allowPrivate) return;
  // The URL parser has already turned 2130706433, 0x7f.1 and friends into dotted addresses.
  const host = bare(url.hostname);
  if (isLocalName(host) || (isIP(host) !== 0 && !isPublicAddress(host))) {
    throw refused(`Webhooks may only go to public addresses; ${host} is on this machine or a private network.`);
  }
}

/** A delivery refused before a connection was made. */
export class TargetRefused extends Error {}

/** The one address a delivery connects to: every address of the name must be public (unless allowed). */
export async function targetAddress(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const host = bare(hostname);
  // "localhost" needs no special case here: it resolves to loopback, which is refused below.
  const addresses = await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new TargetRefused(`refused: ${host} has no address`);
  const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
  if (bad) {
    const what = isIP(host) !== 0 ? host : `${host} resolves to ${bad.address}, which`;
    throw new TargetRefused(`refused: ${what} is not a public address`);
  }
  return addresses[0]!;
}

export interface WebhookPost {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** What a receiver answered: its status and, for a caller that asked for it, its body. */
export interface WebhookAnswer {
  status: number;
  body: string;
}

/** The most of an answer's body that is read (the moderation webhook's JSON verdict is tiny). */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** POSTs the body and answers the status code; the receiver's body is never read. */
export async function postWebhook(raw: string, post: WebhookPost): Promise<number> {
  return send(raw, post, async (response) => {
    response.destroy();
    return response.statusCode ?? 0;
  });
}

/**
 * POSTs the body and answers the status and the response body, read up to `maxBytes`: a
 * longer answer fails (a receiver must not be able to make Parley buffer without bound).
 */
export async function askWebhook(raw: string, post: WebhookPost, maxBytes = MAX_ANSWER_BYTES): Promise<WebhookAnswer> {
  return send(raw, post, async (response) => ({ status: response.statusCode ?? 0, body: await readBounded(response, maxBytes) }));
}

function readBounded(response: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const tooLarge = () => {
      response.destroy();
      reject(new Error(`answer larger than ${maxBytes} bytes`));
    };
    if (Number(response.headers["content-length"] ?? 0) > maxBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return tooLarge();
      chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", reject);
    // A connection cut mid-answer (or destroyed on timeout) closes without "end".
    response.on("close", () => {
      if (!response.complete) reject(new Error("answer cut off"));
    });
  });
}

/**
 * The one way a webhook request is made. The connection goes to the checked address itself
 * (the name stays in the Host header and, over https, in SNI and the certificate check); the
 * timeout covers DNS, the connection and whatever `read` does with the response.
 */
async function send<T>(raw: string, post: WebhookPost, read: (response: http.IncomingMessage) => Promise<T>): Promise<T> {
  const url = new URL(raw);
  // Anything else would be sent as plain http to the host, which is not what the URL says.
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TargetRefused(`refused: ${url.protocol} is not http or https`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), post.timeoutMs);
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener("abort", () => reject(new Error("timed out")), { once: true }),
  );
  aborted.catch(() => undefined);
  try {
    const { address, family } = await Promise.race([targetAddress(url.hostname, post.allowPrivate), aborted]);
    const secure = url.protocol === "https:";
    const host = bare(url.hostname);
    const sent = new Promise<T>((resolve, reject) => {
      const request = (secure ? https : http).request(
        {
          host: address,
          family,
          port: url.port || (secure ? 443 : 80),
          path: `${url.pathname}${url.search}`,
          method: "POST",
          agent: false,
          signal: controller.signal,
          headers: { ...post.headers, host: url.host, "content-length": String(Buffer.byteLength(post.body)) },
          ...(secure && isIP(host) === 0 ? { servername: host } : {}),
        },
        (response) => read(response).then(resolve, reject),
      );
      request.on("error", reject);
      request.end(post.body);
    });
    return await Promise.race([sent, aborted]);
  } finally {
    clearTimeout(timer);
  }
}
