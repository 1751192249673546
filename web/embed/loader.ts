/**
 * embed.js: the few kilobytes a publisher's page loads. It finds the thread containers,
 * waits until one nears the viewport, then fetches the server-rendered first page and the
 * styles in parallel and paints them into a shadow root; the thread UI script arrives
 * alongside and takes the painted thread over without fetching it again.
 */
import type { Bridge, EmbedEvent, EmbedOptions, Session, ThreadModule } from "../shared/bridge.js";
import { THREAD_GLOBAL } from "../shared/bridge.js";
import { logoutUrl, ssoUrl } from "../shared/endpoints.js";
import type { ThreadState } from "../shared/types.js";

declare const __PARLEY_THREAD_JS__: string;
declare const __PARLEY_THREAD_CSS__: string;

type Handler = (detail?: unknown) => void;

const script = document.currentScript as HTMLScriptElement | null;
const base = new URL(script?.src || "/embed.js", location.href).origin;
const sessionKey = `parley:session:${base}`;
const handlers: Record<string, Handler[]> = {};
const sessionListeners: (() => void)[] = [];

function emit(event: EmbedEvent, detail?: unknown): void {
  for (const fn of handlers[event] ?? []) {
    try {
      fn(detail);
    } catch (error) {
      console.error(error);
    }
  }
}

function readSession(): Session | null {
  try {
    return JSON.parse(localStorage.getItem(sessionKey) ?? "null") as Session | null;
  } catch {
    return null;
  }
}

function saveSession(session: Session | null): void {
  try {
    if (session) localStorage.setItem(sessionKey, JSON.stringify(session));
    else localStorage.removeItem(sessionKey);
  } catch {
    // Storage can be off (private modes); the session then lasts as long as the page.
  }
  memory = session;
  for (const fn of sessionListeners) fn();
  emit(session ? "login" : "logout", session?.user);
}
let memory: Session | null = readSession();

let threadModule: Promise<ThreadModule> | undefined;
function loadThreadModule(): Promise<ThreadModule> {
  threadModule ??= new Promise((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = base + __PARLEY_THREAD_JS__;
    tag.async = true;
    tag.onload = () => resolve((window as unknown as Record<string, ThreadModule>)[THREAD_GLOBAL]);
    tag.onerror = (error) => {
      // Forget the failure, so that "Try again" loads it again.
      threadModule = undefined;
      reject(error);
    };
    document.head.appendChild(tag);
  });
  return threadModule;
}

let sheet: Promise<CSSStyleSheet> | undefined;
function loadSheet(): Promise<CSSStyleSheet> {
  sheet ??= fetch(base + __PARLEY_THREAD_CSS__).then(
    async (res) => {
      const css = new CSSStyleSheet();
      css.replaceSync(await res.text());
      return css;
    },
    (error: unknown) => {
      sheet = undefined;
      throw error;
    },
  );
  return sheet;
}

function optionsOf(el: HTMLElement, given: EmbedOptions = {}): EmbedOptions {
  const data = { ...script?.dataset, ...el.dataset };
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  return {
    storyId: given.storyId ?? data.storyId,
    storyUrl: given.storyUrl ?? data.storyUrl ?? canonical ?? location.href.split("#")[0],
    lang: given.lang ?? data.lang ?? (document.documentElement.lang || navigator.language),
    theme: given.theme ?? (data.theme as EmbedOptions["theme"]) ?? "auto",
    ssoToken: given.ssoToken ?? data.ssoToken,
    titleSignature: given.titleSignature ?? data.titleSignature,
    section: given.section ?? data.section,
  };
}

/** Resolves once the browser has painted a frame: the task after the next animation frame. */
const nextPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why a thread is not there, in the thread's place: the publisher sees what to fix, readers see no empty box. */
function explain(root: ShadowRoot, text: string, retry?: () => void): void {
  const sheet = new CSSStyleSheet();
  // Constructed, not inline: pages with a strict style-src allow it.
  sheet.replaceSync(
    ".m{margin:0;padding:12px 16px;border:1px solid #8889;border-radius:8px;font:15px/1.5 system-ui,sans-serif}" +
      "button{margin-top:8px;min-height:44px;padding:0 16px;font:inherit;border-radius:8px}",
  );
  root.adoptedStyleSheets = [sheet];
  const box = document.createElement("p");
  box.className = "m";
  box.setAttribute("role", "status");
  box.textContent = text;
  if (retry) {
    const button = document.createElement("button");
    button.textContent = "Try again";
    button.onclick = () => {
      button.disabled = true;
      retry();
    };
    box.append(document.createElement("br"), button);
  }
  root.replaceChildren(box);
  console.warn(`Parley: ${text}`);
}

/** The first page as HTML, retried with backoff while the server cannot be reached or is briefly down. */
async function fetchThread(url: string): Promise<Response | undefined> {
  for (const wait of [1000, 2000, 4000, 0]) {
    const res = await fetch(url).catch(() => undefined);
    if (res && res.status < 500) return res;
    if (wait) await sleep(wait);
  }
  return undefined;
}

async function start(host: HTMLElement, options: EmbedOptions): Promise<void> {
  host.dataset.theme = options.theme ?? "auto";
  const ui = loadThreadModule();
  const css = loadSheet();
  // Either may fail with the server away; the thread request below reports that once.
  ui.catch(() => undefined);
  css.catch(() => undefined);
  let root = host.shadowRoot;
  let stateEl = root?.querySelector(".p-state");
  if (!root || !stateEl) {
    // No server-rendered thread on this page: fetch the first page as HTML and paint it now.
    const query = new URLSearchParams({ fragment: "true", lang: options.lang ?? "en" });
    if (options.storyId) query.set("story", options.storyId);
    else query.set("url", options.storyUrl ?? location.href);
    if (!options.storyId && document.title) query.set("title", document.title.slice(0, 500));
    if (!options.storyId && options.titleSignature) query.set("titleSignature", options.titleSignature);
    if (!options.storyId && options.section) query.set("section", options.section.slice(0, 100));
    const res = await fetchThread(`${base}/embed/threads?${query}`);
    root ??= host.attachShadow({ mode: "open" });
    if (!res?.ok) {
      // The server's refusal is written for whoever set the page up (which origin to allow, and where).
      const body = res && ((await res.json().catch(() => null)) as { error?: { message?: string } } | null);
      emit("error", body?.error ?? { code: "UNREACHABLE" });
      explain(
        root,
        res
          ? `Comments cannot be shown: ${body?.error?.message ?? `the server answered ${res.status}.`}`
          : `Comments could not load: the comment server at ${base} did not answer.`,
        res ? undefined : () => void begin(host),
      );
      return;
    }
    root.adoptedStyleSheets = [await css];
    root.innerHTML = await res.text();
    stateEl = root.querySelector(".p-state");
    // Let the server-rendered thread reach the screen before the UI takes it over; the mark is
    // what `npm run bench:widget` measures.
    await nextPaint();
    performance.mark("parley:first-comment");
  } else if (!root.querySelector('link[rel="stylesheet"]')) {
    // A publisher's server-rendered thread that left out Parley's stylesheet link: adopt the styles here.
    root.adoptedStyleSheets = [await loadSheet()];
  }
  const state = JSON.parse(stateEl?.textContent ?? "null") as ThreadState;
  const bridge: Bridge = {
    base,
    options,
    session: () => memory,
    saveSession,
    onSession: (fn) => sessionListeners.push(fn),
    emit,
  };
  await (await ui).mount(root, state, bridge);
  if (options.ssoToken) void login(options.ssoToken);
  emit("ready", { storyId: state.story.id });
}

const observer =
  "IntersectionObserver" in window
    ? new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            observer?.unobserve(entry.target);
            void begin(entry.target as HTMLElement);
          }
        },
        // Start well before the thread scrolls into view, so it is there when the reader arrives.
        { rootMargin: "1000px 0px" },
      )
    : undefined;

const pending = new WeakMap<HTMLElement, EmbedOptions>();
function begin(host: HTMLElement): Promise<void> {
  return start(host, pending.get(host) ?? optionsOf(host)).catch((error: unknown) => emit("error", error));
}

/** Renders a thread into an element: a `<parley-thread>` as is, any other container gets one inside. */
function render(el: HTMLElement, given: EmbedOptions = {}): void {
  // While the document is still being parsed, a server-rendered thread inside the element (a
  // declarative shadow root) may be missing or half there: Chromium attaches the shadow root at
  // the template's start tag and streams the markup into it, so its state (the page's order,
  // its cursor) comes last. Starting now would fetch the thread again in the default order and
  // drop the rendered one; wait for the whole document.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => render(el, given), { once: true });
    return;
  }
  let host = el.localName === "parley-thread" ? el : el.querySelector<HTMLElement>("parley-thread");
  const created = !host;
  host ??= document.createElement("parley-thread");
  if (pending.has(host)) return;
  // Options first: appending runs connectedCallback, which must find them (the container's data-* included).
  pending.set(host, optionsOf(el, given));
  if (created) el.appendChild(host);
  // Near the viewport already: start now rather than wait a frame for the observer's first report.
  const box = host.getBoundingClientRect();
  if (observer && (box.top > innerHeight + 1000 || box.bottom < -1000)) observer.observe(host);
  else void begin(host);
}

/** Signs in with a token from the publisher's own login (exchanged at POST /api/v1/auth/sso). */
async function login(token: string): Promise<void> {
  const res = await fetch(ssoUrl(base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  const body = (await res.json().catch(() => null)) as (Session & { error?: unknown }) | null;
  if (!res.ok || !body?.token) {
    emit("error", body?.error ?? { code: "SSO_FAILED" });
    return;
  }
  saveSession({ token: body.token, user: body.user });
}

async function logout(): Promise<void> {
  const token = memory?.token;
  saveSession(null);
  if (token) await fetch(logoutUrl(base), { method: "POST", headers: { authorization: `Bearer ${token}` } });
}

function on(event: EmbedEvent, fn: Handler): void {
  (handlers[event] ??= []).push(fn);
}

const api = { render, login, logout, on };
(window as unknown as { Parley: typeof api }).Parley = api;

if (!customElements.get("parley-thread")) {
  customElements.define(
    "parley-thread",
    class extends HTMLElement {
      connectedCallback() {
        render(this);
      }
    },
  );
}
for (const el of document.querySelectorAll<HTMLElement>("#parley-thread, [data-parley-thread]")) render(el);
if (script?.dataset.storyUrl || script?.dataset.storyId) {
  if (!document.querySelector("parley-thread, #parley-thread, [data-parley-thread]")) {
    render(script.insertAdjacentElement("afterend", document.createElement("parley-thread")) as HTMLElement);
  }
}
