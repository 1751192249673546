import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import type { Lang } from "../shared/messages/index.js";
import { readPrefs } from "./prefs.js";
import { MAIL_CATALOGS, escapeHtml } from "./templates.js";
import { readUnsubscribeToken, unsubscribe } from "./unsubscribe.js";

const Query = Type.Object({ token: Type.String({ maxLength: 200 }) });
const Html = (description: string) => ({ description, content: { "text/html": { schema: Type.String() } } });
const PAGES = {
  200: Html("A page in the reader's language: the button, or that the unsubscribing is done."),
  400: Html("A page saying the link is not valid (signed links cannot be guessed or changed)."),
};
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

function page(reply: FastifyReply, status: number, lang: Lang, body: string) {
  const m = MAIL_CATALOGS[lang].unsubscribePage;
  return reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", CSP)
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(m.title)}</title></head>` +
        `<body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`,
    );
}

/**
 * One-click unsubscribe (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` to the
 * link; a reader who opens it gets a page with one button. A GET never changes anything,
 * because mail scanners open links.
 */
export const unsubscribeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  // Scoped to this plugin: the rest of the API stays JSON only.
  app.addContentTypeParser(["application/x-www-form-urlencoded", "multipart/form-data"], { parseAs: "string", bodyLimit: 4096 }, (_req, body, done) =>
    done(null, { form: String(body) }),
  );

  const langOf = async (userId: string): Promise<Lang> => (await readPrefs(deps.store.read, userId)).lang;

  app.get(
    "/api/v1/notifications/unsubscribe",
    { schema: { tags: ["notifications"], summary: "The unsubscribe page of a signed e-mail link (needs no sign-in)", querystring: Query, response: PAGES } },
    async (request, reply) => {
      const target = readUnsubscribeToken(deps.config.secret, request.query.token);
      if (!target) return page(reply, 400, "en", `<p>${escapeHtml(MAIL_CATALOGS.en.unsubscribePage.invalid)}</p>`);
      const lang = await langOf(target.userId);
      const m = MAIL_CATALOGS[lang];
      const topic = m.topics[target.topic];
      const action = `/api/v1/notifications/unsubscribe?token=${encodeURIComponent(request.query.token)}`;
      return page(
        reply,
        200,
        lang,
        `<h1>${escapeHtml(m.unsubscribePage.title)}</h1><form method="post" action="${escapeHtml(action)}">` +
          `<p>${escapeHtml(m.unsubscribePage.confirm.replace("{topic}", topic))}</p>` +
          `<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(m.unsubscribePage.button)}</button></form>`,
      );
    },
  );

  app.post(
    "/api/v1/notifications/unsubscribe",
    { schema: { tags: ["notifications"], summary: "Unsubscribe through a signed e-mail link (one-click, RFC 8058; needs no sign-in)", querystring: Query, response: PAGES } },
    async (request, reply) => {
      const target = readUnsubscribeToken(deps.config.secret, request.query.token);
      if (!target) return page(reply, 400, "en", `<p>${escapeHtml(MAIL_CATALOGS.en.unsubscribePage.invalid)}</p>`);
      await unsubscribe(deps, target.userId, target.topic);
      const lang = await langOf(target.userId);
      const m = MAIL_CATALOGS[lang];
      return page(reply, 200, lang, `<p>${escapeHtml(m.unsubscribePage.done.replace("{topic}", m.topics[target.topic]))}</p>`);
    },
  );
};
