import { createHash } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../config.js";
import type { Deps } from "../deps.js";

const transports = new WeakMap<Config, Transporter>();

/** The SMTP transport every mail job sends through; null without SMTP_HOST (the job then fails and retries). */
export function transportFor(config: Config): Transporter | null {
  const { smtp } = config;
  if (!smtp.host) return null;
  let transport = transports.get(config);
  if (!transport) {
    transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
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
