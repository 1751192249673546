import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../config.js";
import type { Deps } from "../deps.js";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

const transports = new WeakMap<Config, Transporter>();

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
 * Sends a mail without holding up the request: the caller answers at once, whether the
 * address is known or not, so timing says nothing about accounts. Failures are logged
 * without the address or the text (which carries a token).
 */
export function sendInBackground(deps: Deps, mail: Mail, kind: string): void {
  const transport = transportFor(deps.config);
  if (!transport) {
    deps.log.warn({ kind }, "mail not sent: SMTP_HOST is not set");
    return;
  }
  transport.sendMail({ from: deps.config.smtp.from, to: mail.to, subject: mail.subject, text: mail.text }).then(
    () => deps.log.debug({ kind }, "mail sent"),
    (error: Error) => deps.log.error({ kind, err: { message: error.message } }, "mail failed"),
  );
}
