import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Value } from "typebox/value";
import { plainText } from "../comments/render.js";
import { fileNotice, presentNotice } from "../compliance/notices.js";
import { NoticeBody } from "../compliance/routes.js";
import { noticeableCommentView } from "../compliance/store.js";
import { escapeHtml } from "../embed/ssr.js";
import { AppError } from "../errors.js";
import { layout } from "./pages.js";
import { siteInfo } from "./content.js";

type Quoted = NonNullable<Awaited<ReturnType<typeof noticeableCommentView>>>;

interface Filled {
  comment: string;
  law: string;
  explanation: string;
  email: string;
  goodFaith: boolean;
}

const EMPTY: Filled = { comment: "", law: "", explanation: "", email: "", goodFaith: false };
/** Nothing but the served stylesheets; the form posts to this page only. */
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A comment's id from what a reader pastes: the id itself, or a link to the comment (`…#comment-<id>`). */
export function commentIdFrom(given: string): string | null {
  const text = given.trim();
  const fromLink = /#comment-([A-Za-z0-9_-]{1,64})\s*$/.exec(text);
  if (fromLink) return fromLink[1];
  return /^[A-Za-z0-9_-]{1,64}$/.test(text) ? text : null;
}

function quote(c: Quoted): string {
  const text = plainText(c.body).replace(/\s+/g, " ").trim();
  const excerpt = text.length > 600 ? `${text.slice(0, 599)}…` : text;
  return `<blockquote class="quoted"><p>${escapeHtml(excerpt)}</p><footer>— ${escapeHtml(c.display_name)}, on <a href="${escapeHtml(c.url)}#comment-${escapeHtml(c.id)}">${escapeHtml(c.title)}</a></footer></blockquote>`;
}

function form(filled: Filled, quoted: Quoted | null, error: string | null): string {
  const commentField = quoted
    ? `<input type="hidden" name="comment" value="${escapeHtml(quoted.id)}">`
    : `<label for="n-comment">Link to the comment</label><p class="hint" id="n-comment-hint">Copy it from the comment's menu (“Copy link”).</p><input type="text" id="n-comment" name="comment" required maxlength="2000" aria-describedby="n-comment-hint" value="${escapeHtml(filled.comment)}">`;
  return (
    `${error ? `<p class="error" role="alert" id="n-error">${escapeHtml(error)}</p>` : ""}` +
    `<form method="post" action="/notice"${error ? ' aria-describedby="n-error"' : ""}>${commentField}` +
    `<label for="n-law">The law concerned</label><p class="hint" id="n-law-hint">For example: German Criminal Code, section 130 (incitement to hatred).</p>` +
    `<input type="text" id="n-law" name="law" required maxlength="300" aria-describedby="n-law-hint" value="${escapeHtml(filled.law)}">` +
    `<label for="n-explanation">Why the comment is illegal</label><p class="hint" id="n-explanation-hint">Explain what in the comment breaks that law. Moderators read this.</p>` +
    `<textarea id="n-explanation" name="explanation" required maxlength="5000" aria-describedby="n-explanation-hint">${escapeHtml(filled.explanation)}</textarea>` +
    `<label for="n-email">Your e-mail address (optional)</label><p class="hint" id="n-email-hint">For a receipt and the decision; we use it for nothing else.</p>` +
    `<input type="email" id="n-email" name="email" maxlength="254" autocomplete="email" aria-describedby="n-email-hint" value="${escapeHtml(filled.email)}">` +
    `<label class="check"><input type="checkbox" name="goodFaith" value="yes" required${filled.goodFaith ? " checked" : ""}> I believe in good faith that the information in this notice is accurate and complete.</label>` +
    `<button type="submit">Send the notice</button></form>`
  );
}

function send(reply: FastifyReply, status: number, title: string, body: string) {
  const html = layout(siteInfo(), { title, canonical: "/notice", body: `<section class="notice">${body}</section>` });
  return reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", CSP)
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .send(html);
}

const TITLE = "Notify illegal content";
const INTRO =
  "<p>If a comment breaks the law, tell us here. Anyone may send a notice, with or without an account. Name the law and explain why; a moderator reviews the comment first.</p>";

/**
 * The notice page (EU DSA Art. 16) for readers: the widget's comment menu and the article pages
 * link to it. It works without JavaScript: a form that posts here, checked as `POST /api/v1/notices`
 * checks it (a notice without a law, an explanation or the good-faith statement stores nothing).
 * It signs in no one: a notice from it is sent without an account.
 */
export const noticePage: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  // Scoped to this plugin: the rest of the API stays JSON only.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 16_384 }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.get(
    "/notice",
    { schema: { hide: true, querystring: Type.Object({ comment: Type.Optional(Type.String({ maxLength: 2000 })) }) } },
    async (request, reply) => {
      const id = request.query.comment ? commentIdFrom(request.query.comment) : null;
      const quoted = id ? ((await noticeableCommentView(deps.store.read, id)) ?? null) : null;
      if (request.query.comment && !quoted) {
        return send(reply, 404, TITLE, `<h1>${TITLE}</h1><p class="error" role="alert">We cannot find that comment: it may have been removed already.</p>${form(EMPTY, null, null)}`);
      }
      return send(reply, 200, TITLE, `<h1>${TITLE}</h1>${INTRO}${quoted ? quote(quoted) : ""}${form(EMPTY, quoted, null)}`);
    },
  );

  app.post(
    "/notice",
    { schema: { hide: true, body: Type.Record(Type.String(), Type.String()) } },
    async (request, reply) => {
      const b = request.body;
      const filled: Filled = {
        comment: b.comment ?? "",
        law: b.law ?? "",
        explanation: b.explanation ?? "",
        email: b.email ?? "",
        goodFaith: b.goodFaith === "yes",
      };
      const id = commentIdFrom(filled.comment);
      const quoted = id ? ((await noticeableCommentView(deps.store.read, id)) ?? null) : null;
      const again = (status: number, error: string) =>
        send(reply, status, TITLE, `<h1>${TITLE}</h1>${quoted ? quote(quoted) : ""}${form(filled, quoted, error)}`);
      if (!quoted) return again(404, "We cannot find that comment: check the link, or it may have been removed already.");
      const input = {
        commentId: quoted.id,
        law: filled.law,
        explanation: filled.explanation,
        ...(filled.email.trim() ? { reporterEmail: filled.email.trim() } : {}),
        goodFaith: filled.goodFaith,
      };
      if (!filled.law.trim()) return again(400, "Name the law the comment breaks.");
      if (!filled.explanation.trim()) return again(400, "Explain why the comment is illegal: a notice without an explanation cannot be reviewed.");
      if (!filled.goodFaith) return again(400, "Confirm that you send this notice in good faith.");
      if (!Value.Check(NoticeBody, input)) return again(400, "Check the fields: the e-mail address does not look right, or a text is too long.");
      // fileNotice checks the law, the explanation and the good faith again, as for the API.
      try {
        const notice = presentNotice(await fileNotice({ deps, actor: null, ip: request.ip, input }));
        const at = new Date(notice.receivedAt).toUTCString();
        const mail = input.reporterEmail ? " We sent a receipt to your address, and will write to you with the decision." : "";
        return send(
          reply,
          201,
          "Notice received",
          `<h1>Notice received</h1><p role="status">Thank you. We received your notice on ${escapeHtml(at)}. A moderator will review the comment.${mail}</p>${quote(quoted)}`,
        );
      } catch (error) {
        if (error instanceof AppError && (error.status === 429 || error.status === 400)) return again(error.status, error.message);
        if (error instanceof AppError && error.status === 404) return again(404, "We cannot find that comment: it may have been removed already.");
        throw error;
      }
    },
  );
};
