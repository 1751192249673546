import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type IncomingMessage, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { SMTPServer } from "smtp-server";
import { createUser, openSession } from "../src/accounts/service.js";
import type { Role } from "../src/store/schema.js";

/** A mail as the test SMTP server received it, MIME decoded. */
export interface ParsedMail {
  to: string[];
  headers: Map<string, string>;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

function decodeQp(body: string): string {
  const bytes: number[] = [];
  const soft = body.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

const decodeWords = (value: string) =>
  value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQp(text.replace(/_/g, " ")),
  );

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, at);
  const body = raw.slice(at).replace(/^\r?\n\r?\n/, "");
  return { headers: parseHeaders(head), body };
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get("content-transfer-encoding") ?? "").toLowerCase();
  if (encoding === "quoted-printable") return decodeQp(body);
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  return body;
}

export function parseMail(raw: string, to: string[]): ParsedMail {
  const { headers, body } = splitPart(raw);
  let text = "";
  let html = "";
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get("content-type") ?? "")?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const part of parts) {
    const p = boundary ? splitPart(part.replace(/^\r?\n/, "")) : { headers, body };
    const type = p.headers.get("content-type") ?? "";
    const decoded = decodeBody(p.headers, p.body).replace(/\r\n/g, "\n").replace(/\n$/, "");
    if (type.startsWith("text/html")) html = decoded;
    else if (type.startsWith("text/plain")) text = decoded;
  }
  return { to, headers, subject: headers.get("subject") ?? "", messageId: headers.get("message-id") ?? "", text, html };
}

/** A real SMTP server on 127.0.0.1 that keeps and decodes what it receives. */
export async function startSmtp() {
  const mails: ParsedMail[] = [];
  const listeners: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push(parseMail(Buffer.concat(chunks).toString("latin1"), session.envelope.rcptTo.map((r) => r.address)));
        callback();
        for (const listener of listeners) listener();
      });
    },
  });
  // A client that dies mid-session (the crash tests SIGKILL workers) resets its connection;
  // smtp-server reports that as an 'error' event, which unhandled would end the test process.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    to: (address: string) => mails.filter((m) => m.to.includes(address)),
    /** Called after each accepted mail. */
    onMail: (listener: () => void) => listeners.push(listener),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Verifies a Parley webhook signature the way the docs tell receivers to. */
export function verifySignature(secret: string, req: { timestamp: string; signature: string; body: string }): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(`${req.timestamp}.${req.body}`).digest("hex"));
  return req.signature.split(" ").some((part) => {
    const given = Buffer.from(part.replace(/^v1=/, ""));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface ReceivedHook {
  id: string;
  event: string;
  timestamp: string;
  signature: string;
  body: string;
  valid: boolean;
}

/**
 * A webhook receiver on 127.0.0.1. It checks each signature against `secrets()`, answers
 * 500 to the first `failFirst` attempts of every event id, and 2xx after.
 */
export async function startReceiver(options: { secrets: () => string[]; failFirst?: number }) {
  const received: ReceivedHook[] = [];
  const attempts = new Map<string, number>();
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const hook: ReceivedHook = {
      id: String(req.headers["parley-webhook-id"]),
      event: String(req.headers["parley-webhook-event"]),
      timestamp: String(req.headers["parley-webhook-timestamp"]),
      signature: String(req.headers["parley-webhook-signature"]),
      body,
      valid: false,
    };
    hook.valid = options.secrets().some((s) => verifySignature(s, hook));
    received.push(hook);
    const n = (attempts.get(hook.id) ?? 0) + 1;
    attempts.set(hook.id, n);
    res.statusCode = !hook.valid ? 401 : n <= (options.failFirst ?? 0) ? 500 : 204;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Distinct event ids answered with a 2xx. */
    delivered: () => new Set(received.filter((h) => h.valid && (attempts.get(h.id) ?? 0) > (options.failFirst ?? 0)).map((h) => h.id)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A signed-in account with a verified address (notification mails go only to verified ones). */
export async function account(app: FastifyInstance, name: string, role: Role = "commenter") {
  const email = `${name.toLowerCase().replace(/\W/g, "")}-${randomBytes(4).toString("hex")}@example.com`;
  const user = await createUser(app.deps, { email, password: "a long test password", displayName: `${name} ${randomBytes(2).toString("hex")}`, role });
  await app.deps.store.db.updateTable("users").set({ email_verified_at: app.deps.clock.now() }).where("id", "=", user.id).execute();
  const session = await openSession(app.deps, user, "password");
  return { id: user.id, token: session.token, email, name: user.display_name };
}
