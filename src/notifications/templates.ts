import type { Lang } from "../shared/messages/index.js";
import { mailDe } from "./messages/de.js";
import { type MailMessages, mailEn } from "./messages/en.js";
import type { Topic } from "./unsubscribe.js";

export const MAIL_CATALOGS: Record<Lang, MailMessages> = { en: mailEn, de: mailDe };

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));

export const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Only http(s) links make it into a mail; anything else is dropped. */
const safeUrl = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

/** Subject lines are one line: a title with a newline must not start a header. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ").trim();

/** The line under every mail: why it came, and for subscribed mails the way out. */
interface Footer {
  why: string;
  link?: string;
  label?: string;
}

function layout(lang: Lang, bodyHtml: string, footer: Footer): string {
  const way = footer.link && footer.label ? ` <a href="${escapeHtml(footer.link)}">${escapeHtml(footer.label)}</a>` : "";
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font:16px/1.5 system-ui,sans-serif;color:#1c1917">
<div style="max-width:560px;margin:0 auto;background:#fff;padding:24px;border-radius:8px">
${bodyHtml}
<hr style="border:0;border-top:1px solid #e7e5e4;margin:24px 0">
<p style="font-size:13px;color:#57534e">${escapeHtml(footer.why)}${way}</p>
</div></body></html>`;
}

function footerFor(m: MailMessages, topic: Topic, unsubscribeUrl: string): Required<Footer> {
  return { why: fill(m.footer.why, { topic: m.topics[topic] }), link: unsubscribeUrl, label: m.footer.unsubscribe };
}

export interface SingleMail {
  lang: Lang;
  kind: "reply" | "quote" | "published" | "rejected";
  actor: string;
  story: string;
  excerpt: string;
  url: string | null;
  reason?: string | null;
  /** A rejection's statement of reasons: its explanation, and the last day to appeal it. */
  explanation?: string | null;
  appealUntil?: number | null;
  topic: Topic;
  unsubscribeUrl: string;
}

/** One notification as an e-mail, text and HTML, every value escaped for HTML. */
export function renderSingle(mail: SingleMail): MailContent {
  const m = MAIL_CATALOGS[mail.lang];
  const t = m[mail.kind];
  const values = { actor: mail.actor, story: oneLine(mail.story) };
  const intro = fill(t.intro, values);
  const url = safeUrl(mail.url);
  const reasonLabel =
    mail.kind === "rejected" && mail.reason ? fill(m.rejected.reason, { reason: m.reasons[mail.reason as keyof MailMessages["reasons"]] ?? mail.reason }) : null;
  const statement =
    mail.kind === "rejected" && mail.explanation
      ? [
          mail.explanation,
          ...(mail.appealUntil ? [fill(m.rejected.appeal, { date: new Date(mail.appealUntil).toISOString().slice(0, 10) })] : []),
        ]
      : [];
  const footer = footerFor(m, mail.topic, mail.unsubscribeUrl);
  const text = [
    intro,
    "",
    ...mail.excerpt.split("\n").map((line) => `> ${line}`),
    ...(reasonLabel ? ["", reasonLabel] : []),
    ...statement.flatMap((line) => ["", line]),
    ...(url ? ["", `${t.action}: ${url}`] : []),
    "",
    "-- ",
    footer.why,
    `${footer.label}: ${footer.link}`,
  ].join("\n");
  const html = layout(
    mail.lang,
    [
      `<p>${escapeHtml(intro)}</p>`,
      `<blockquote style="margin:0;padding:8px 16px;border-left:4px solid #d6d3d1;color:#44403c">${escapeHtml(mail.excerpt)}</blockquote>`,
      reasonLabel ? `<p>${escapeHtml(reasonLabel)}</p>` : "",
      ...statement.map((line) => `<p>${escapeHtml(line)}</p>`),
      url ? `<p><a href="${escapeHtml(url)}" style="color:#1d4ed8">${escapeHtml(t.action)}</a></p>` : "",
    ].join("\n"),
    footer,
  );
  return { subject: oneLine(fill(t.subject, values)), text, html };
}

export interface DigestItem {
  kind: "reply" | "quote" | "story.comment";
  actor: string;
  story: string;
  excerpt: string;
  url: string | null;
}

/** The daily digest: one mail listing what waited for it. */
export function renderDigest(mail: { lang: Lang; items: DigestItem[]; more: number; unsubscribeUrl: string }): MailContent {
  const m = MAIL_CATALOGS[mail.lang];
  const d = m.digest;
  const footer = footerFor(m, "digest", mail.unsubscribeUrl);
  const line = (item: DigestItem) =>
    fill(item.kind === "reply" ? d.reply : item.kind === "quote" ? d.quote : d.storyComment, { actor: item.actor, story: oneLine(item.story) });
  const more = mail.more > 0 ? fill(d.more, { n: mail.more }) : null;
  const text = [
    d.intro,
    ...mail.items.flatMap((item) => {
      const url = safeUrl(item.url);
      return ["", line(item), `> ${item.excerpt.replace(/\n/g, "\n> ")}`, ...(url ? [`${d.action}: ${url}`] : [])];
    }),
    ...(more ? ["", more] : []),
    "",
    "-- ",
    footer.why,
    `${footer.label}: ${footer.link}`,
  ].join("\n");
  const html = layout(
    mail.lang,
    [
      `<p>${escapeHtml(d.intro)}</p>`,
      ...mail.items.map((item) => {
        const url = safeUrl(item.url);
        return `<p>${escapeHtml(line(item))}</p>\n<blockquote style="margin:0 0 8px;padding:8px 16px;border-left:4px solid #d6d3d1">${escapeHtml(item.excerpt)}</blockquote>${url ? `\n<p><a href="${escapeHtml(url)}">${escapeHtml(d.action)}</a></p>` : ""}`;
      }),
      more ? `<p>${escapeHtml(more)}</p>` : "",
    ].join("\n"),
    footer,
  );
  return { subject: oneLine(fill(d.subject, { n: mail.items.length + mail.more })), text, html };
}

export interface AccountMail {
  lang: Lang;
  kind: "verify" | "reset" | "alreadyRegistered";
  /** The account's display name, for the greeting. */
  name: string;
  /** The one link the mail is about: the verification or reset link, or the reset page. */
  url: string;
}

const BUTTON = "display:inline-block;padding:10px 20px;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none;font-weight:600";

/**
 * A mail about the account itself: a greeting, what to do, the link as a button and as
 * plain text (for clients that show no buttons), what to do if it was not the reader.
 */
export function renderAccountMail(mail: AccountMail): MailContent {
  const m = MAIL_CATALOGS[mail.lang].account;
  const t = m[mail.kind];
  const greeting = fill(m.greeting, { name: oneLine(mail.name) });
  const url = safeUrl(mail.url);
  if (!url) throw new Error("an account mail needs an http(s) link");
  const text = [greeting, "", t.intro, "", url, "", t.ignore, "", "-- ", m.footer].join("\n");
  const link = escapeHtml(url);
  const html = layout(
    mail.lang,
    [
      `<p>${escapeHtml(greeting)}</p>`,
      `<p>${escapeHtml(t.intro)}</p>`,
      `<p><a href="${link}" style="${BUTTON}">${escapeHtml(t.action)}</a></p>`,
      `<p style="font-size:13px;color:#57534e">${escapeHtml(m.copyLink)}<br><a href="${link}" style="word-break:break-all">${link}</a></p>`,
      `<p>${escapeHtml(t.ignore)}</p>`,
    ].join("\n"),
    { why: m.footer },
  );
  return { subject: oneLine(t.subject), text, html };
}
