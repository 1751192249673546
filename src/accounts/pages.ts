import { randomBytes } from "node:crypto";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { isAllowedOrigin } from "../site/service.js";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
/** JSON safe inside <script>: no "</script>", no HTML comment openers, no line separators. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

/** The account pages' look: the widget's colours and sizes, readable on a phone, 44 px targets, light and dark. */
const PAGE_CSS =
  ":root{color-scheme:light dark;--ink:#1d1f23;--muted:#5b616b;--line:#c9ced6;--accent:#1f5fbf;--bg:#fff;--field:#fff;--bad:#a3241a}" +
  "@media (prefers-color-scheme:dark){:root{--ink:#e8eaed;--muted:#a8afb9;--line:#4a505a;--accent:#8ab4f8;--bg:#17191c;--field:#202327;--bad:#ff8a80}}" +
  "*{box-sizing:border-box}body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);background:var(--bg);max-width:26rem;margin:0 auto;padding:1.5rem 1rem}" +
  "h1{font-size:1.35rem;margin:0 0 1rem}label{display:block;margin:.9rem 0 .2rem;font-weight:600}" +
  "input{display:block;width:100%;min-height:44px;padding:.5rem .65rem;font:inherit;color:inherit;background:var(--field);border:1px solid var(--line);border-radius:8px}" +
  "input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}" +
  "button,a.button{display:flex;align-items:center;justify-content:center;width:100%;min-height:44px;margin:1rem 0 .5rem;padding:.5rem 1rem;font:inherit;font-weight:600;border-radius:8px;cursor:pointer;text-decoration:none}" +
  "button{color:#fff;background:var(--accent);border:1px solid var(--accent)}@media (prefers-color-scheme:dark){button{color:#111}}" +
  "a.button{color:var(--ink);background:transparent;border:1px solid var(--line)}" +
  ".help{margin:.3rem 0 0;color:var(--muted);font-size:.9rem}.switch{margin:1rem 0 0;color:var(--muted)}.switch a,p a{color:var(--accent)}" +
  "[role=alert]{color:var(--bad);min-height:1.5em}.or{display:flex;align-items:center;gap:.75rem;color:var(--muted);margin:1rem 0}.or::before,.or::after{content:'';flex:1;border-top:1px solid var(--line)}";

/** Sends one of Parley's own small account pages: inline script allowed by nonce only, never framed. */
export function sendPage(reply: FastifyReply, title: string, body: string, script: string, data: unknown) {
  const nonce = randomBytes(16).toString("base64");
  return reply
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .header("x-content-type-options", "nosniff")
    .header(
      "content-security-policy",
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    )
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
        `<style nonce="${nonce}">${PAGE_CSS}</style></head>` +
        `<body><main><h1>${escapeHtml(title)}</h1>${body}<p role="alert" id="status" aria-live="polite"></p></main>` +
        `<script type="application/json" id="data">${scriptJson(data)}</script><script nonce="${nonce}">${script}</script></body></html>`,
    );
}

/** The opener a popup may hand a session to: Parley's own origin or an origin a site allows. */
export async function checkedOpenerOrigin(deps: Deps, raw: string | undefined): Promise<string> {
  let origin: string;
  try {
    origin = new URL(raw ?? deps.config.publicUrl).origin;
  } catch {
    throw new AppError(400, ErrorCodes.ORIGIN_NOT_ALLOWED, "The page that opened this window is not a site here.");
  }
  if (origin !== raw && raw !== undefined) throw new AppError(400, ErrorCodes.ORIGIN_NOT_ALLOWED, "Give an origin, like https://news.example.");
  if (!(await isAllowedOrigin(deps, origin))) throw new AppError(400, ErrorCodes.ORIGIN_NOT_ALLOWED, "The page that opened this window is not a site here.");
  return origin;
}

/** Hands the session to the opener, to the story site's origin only, then closes. */
const HANDOFF = `const d=JSON.parse(document.getElementById("data").textContent);
function handOff(s){if(window.opener){window.opener.postMessage({type:"parley:session",token:s.token,user:s.user},d.origin);window.close();}
document.getElementById("status").textContent="Signed in. You can close this window.";}`;

export function sendHandoff(reply: FastifyReply, origin: string, session: { token: string; user: unknown }) {
  return sendPage(reply, "Signed in", "", `${HANDOFF}handOff(d.session);`, { origin, session });
}

const POPUP_SCRIPT = `${HANDOFF}
const status=document.getElementById("status");
async function call(path,body){const r=await fetch(path,{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify(body)});
const j=await r.json().catch(()=>({}));if(!r.ok)throw new Error(j.error&&j.error.message||"That did not work; try again.");return j;}
const sso=new URLSearchParams(location.hash.slice(1)).get("sso");
if(sso){history.replaceState(null,"",location.pathname+location.search);call("/api/v1/auth/sso",{token:sso}).then(handOff,e=>status.textContent=e.message);}
const login=document.getElementById("login"),heading=document.querySelector("h1");let signup=null;
function show(creating){status.textContent="";heading.textContent=creating?"Create an account":"Sign in to comment";login.hidden=creating;
if(creating){signup=document.getElementById("signup-form").content.firstElementChild.cloneNode(true);login.after(signup);
signup.querySelector("#to-login").addEventListener("click",ev=>{ev.preventDefault();show(false);});
signup.addEventListener("submit",ev=>{ev.preventDefault();const f=new FormData(ev.target);
call("/api/v1/auth/signup",{displayName:f.get("displayName"),email:f.get("email"),password:f.get("password")}).then(handOff,e=>status.textContent=e.message);});}
else if(signup){signup.remove();signup=null;}
(creating?signup:login).querySelector("input").focus();}
document.getElementById("to-signup").addEventListener("click",ev=>{ev.preventDefault();show(true);});
login.addEventListener("submit",ev=>{ev.preventDefault();const f=new FormData(ev.target);
call("/api/v1/auth/login",{email:f.get("email"),password:f.get("password")}).then(handOff,e=>status.textContent=e.message);});`;

const VERIFY_SCRIPT = `const status=document.getElementById("status");const t=new URLSearchParams(location.hash.slice(1)).get("token");
history.replaceState(null,"",location.pathname);
if(!t){status.textContent="This link is incomplete.";}else fetch("/api/v1/auth/verify",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({token:t})})
.then(r=>r.json().then(j=>status.textContent=r.ok?"Your e-mail address is confirmed.":j.error.message));`;

const RESET_SCRIPT = `const status=document.getElementById("status");const t=new URLSearchParams(location.hash.slice(1)).get("token");
if(t){history.replaceState(null,"",location.pathname);document.getElementById("ask").hidden=true;document.getElementById("choose").hidden=false;}
async function call(path,body,ok){const r=await fetch(path,{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify(body)});
const j=await r.json().catch(()=>({}));status.textContent=r.ok?ok:(j.error&&j.error.message||"That did not work.");}
document.getElementById("ask").addEventListener("submit",ev=>{ev.preventDefault();call("/api/v1/auth/reset",{email:new FormData(ev.target).get("email")},"If this address has an account, a link is on its way.");});
document.getElementById("choose").addEventListener("submit",ev=>{ev.preventDefault();call("/api/v1/auth/reset/confirm",{token:t,password:new FormData(ev.target).get("password")},"Your password is changed. Sign in with it.");});`;

export const accountPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.get(
    "/auth/popup",
    { schema: { hide: true, querystring: Type.Object({ origin: Type.Optional(Type.String({ maxLength: 300 })) }) } },
    async (request, reply) => {
      const origin = await checkedOpenerOrigin(deps, request.query.origin);
      const providers = deps.config.oidcProviders
        .map(
          (p) =>
            `<a class="button" href="/api/v1/auth/oidc/${encodeURIComponent(p.name)}/start?popup=${encodeURIComponent(origin)}">Continue with ${escapeHtml(p.label)}</a>`,
        )
        .join("");
      const body =
        `${providers}${providers ? `<p class="or">or with your e-mail</p>` : ""}` +
        `<form id="login"><label for="login-email">E-mail</label><input id="login-email" name="email" type="email" autocomplete="email" required>` +
        `<label for="login-password">Password</label><input id="login-password" name="password" type="password" autocomplete="current-password" required>` +
        `<button>Sign in</button><p><a href="/auth/reset">Forgot your password?</a></p>` +
        `<p class="switch">New here? <a href="#signup" id="to-signup">Create an account</a></p></form>` +
        // The sign-up form joins the page only when asked for, so the page has one e-mail field at a time.
        `<template id="signup-form"><form id="signup"><label for="signup-name">Name shown with your comments</label><input id="signup-name" name="displayName" autocomplete="nickname" maxlength="200" required>` +
        `<label for="signup-email">E-mail</label><input id="signup-email" name="email" type="email" autocomplete="email" required>` +
        `<p class="help">We send a link to confirm it; it is never shown to other readers.</p>` +
        `<label for="signup-password">Password</label><input id="signup-password" name="password" type="password" autocomplete="new-password" minlength="10" aria-describedby="signup-rules" required>` +
        `<p class="help" id="signup-rules">At least 10 characters, and not a common password.</p>` +
        `<button>Create account</button><p class="switch">Already have an account? <a href="#login" id="to-login">Sign in</a></p></form></template>`;
      return sendPage(reply, "Sign in to comment", body, POPUP_SCRIPT, { origin });
    },
  );
  app.get("/auth/verify", { schema: { hide: true } }, async (_request, reply) =>
    sendPage(reply, "Confirm your e-mail", "", VERIFY_SCRIPT, {}),
  );
  app.get("/auth/reset", { schema: { hide: true } }, async (_request, reply) =>
    sendPage(
      reply,
      "Reset your password",
      `<form id="ask"><label>E-mail <input name="email" type="email" autocomplete="email" required></label><button>Send me a link</button></form>` +
        `<form id="choose" hidden><label>New password (at least 10 characters) <input name="password" type="password" autocomplete="new-password" minlength="10" required></label><button>Set password</button></form>`,
      RESET_SCRIPT,
      {},
    ),
  );
};
