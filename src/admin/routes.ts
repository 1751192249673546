import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { WEB_DIST } from "../embed/assets.js";
import { deskSessionRoutes } from "./session.js";

/** `/admin` only ever runs its own files: no inline script or style, no framing by any page. */
export const DESK_CSP =
  "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

let manifest: { at: number; value: Record<string, string> } | undefined;

/** scripts/build-admin.mjs's manifest (logical name → hashed file), re-read at most once a second. */
function deskAssets(now = Date.now()): Record<string, string> {
  if (manifest && now - manifest.at < 1000) return manifest.value;
  const file = join(WEB_DIST, "admin-manifest.json");
  const value = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  manifest = { at: now, value };
  return value;
}

function shell(assets: Record<string, string>): string {
  const js = assets["admin.js"];
  const css = assets["admin.css"];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Parley · Moderation</title>
${css ? `<link rel="stylesheet" href="/${css}">` : ""}
${js ? `<script type="module" src="/${js}"></script>` : ""}
</head>
<body>
<div id="desk"><main><h1>Parley moderation</h1><p>${
    js ? "Loading the moderator's desk…" : "The moderator's desk is not built; run npm run build."
  }</p></main></div>
<noscript><p>The moderator's desk needs JavaScript.</p></noscript>
</body>
</html>
`;
}

function sendShell(reply: FastifyReply) {
  return reply
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", DESK_CSP)
    .header("x-frame-options", "DENY")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "no-store")
    .send(shell(deskAssets()));
}

/** The moderator's desk: the page shell for every `/admin/...` view, and its session routes. */
export const deskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(deskSessionRoutes);
  app.get("/admin", { schema: { hide: true } }, (_request, reply) => sendShell(reply));
  app.get("/admin/*", { schema: { hide: true } }, (_request, reply) => sendShell(reply));
};
