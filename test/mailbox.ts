import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { type ParsedMail, parseMail } from "./notifications.js";

/** A received mail, MIME decoded: `text` and `html` are its two parts, `subject` is decoded. */
export type ReceivedMail = ParsedMail;

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives, for tests to read. Pass the
 * port of a mailbox closed earlier to bring "the same" SMTP server back; `refuse` makes it
 * answer 550 to the recipients it matches, quoting the address as real servers do.
 */
export async function startMailbox(port = 0, options: { refuse?: (address: string) => boolean } = {}) {
  const mails: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!options.refuse?.(address.address)) return callback();
      callback(Object.assign(new Error(`<${address.address}>: no such mailbox here`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push(parseMail(Buffer.concat(chunks).toString("latin1"), session.envelope.rcptTo.map((r) => r.address)));
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    /** The first mail to `address` matching `subject`, waiting up to 5 s for it. */
    async waitFor(address: string, subject: RegExp): Promise<ReceivedMail> {
      const deadline = Date.now() + 5000;
      for (;;) {
        const found = mails.find((m) => m.to.includes(address) && subject.test(m.subject));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${subject}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const tokenIn = (mail: ReceivedMail) => {
  const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error("no token link in the mail");
  return token;
};
