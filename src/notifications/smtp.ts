import { createHash } from "node:crypto";
import type { Transporter } from "nodemailer";
import type { Config } from "../config.js";
import type { Deps } from "../deps.js";

const transports = new WeakMap<Config, Promise<Transporter>>();

async function createTransport(smtp: Config["smtp"]): Promise<Transporter> {
  const { default: nodemailer } = await import("nodemailer");
  return nodemailer.createTransport({
    host: smtp.host ?? undefined,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}

/**
 * The SMTP transport every mail job sends through; null without SMTP_HOST (no mail is sent).
 * nodemailer is loaded with the first mail, so an install without SMTP never carries it.
 */
export async function transportFor(config: Config): Promise<Transporter | null> {
  if (!config.smtp.host) return null;
  let transport = transports.get(config);
  if (!transport) {
    transport = createTransport(config.smtp);
    transports.set(config, transport);
  }
  return transport;
}

/**
 * The Message-ID of a job's mail, derived from its idempotency key: every attempt at the
 * same job sends the same Message-ID, so a resend after a crash is the same message.
 */
export function messageIdFor(deps: Deps, jobKey: string): string {
  const host = new URL(deps.config.publicUrl).hostname;
  return `<${createHash("sha256").update(jobKey).digest("hex").slice(0, 40)}@${host}>`;
}
