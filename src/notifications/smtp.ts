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

/**
 * Sends one job's automated mail (a receipt, a verification link): the job's Message-ID, marked
 * Auto-Submitted so auto-responders stay quiet. False when no SMTP is configured (nothing sent).
 */
export async function sendJobMail(
  deps: Deps,
  jobKey: string,
  mail: { to: string; content: { subject: string; text: string; html: string } },
): Promise<boolean> {
  const transport = await transportFor(deps.config);
  if (!transport) return false;
  await transport.sendMail({
    from: deps.config.smtp.from,
    to: mail.to,
    subject: mail.content.subject,
    text: mail.content.text,
    html: mail.content.html,
    messageId: messageIdFor(deps, jobKey),
    headers: { "Auto-Submitted": "auto-generated" },
  });
  return true;
}
