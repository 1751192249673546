/**
 * The thread UI. The loader has already painted the server-rendered page; mounting renders
 * the same markup from the same data, then removes the painted copy, so nothing moves. A
 * thread in another language than English waits for its catalog with the painted copy shown
 * (already in that language), so the reader never sees the words change.
 */
import { render } from "preact";
import type { Bridge, ThreadModule } from "../../shared/bridge.js";
import { THREAD_GLOBAL } from "../../shared/bridge.js";
import { loadCatalog, pickLang, translate } from "../../shared/messages.js";
import type { ThreadState } from "../../shared/types.js";
import { App } from "./app.js";

const mounted = new WeakSet<ShadowRoot>();

const thread: ThreadModule = {
  async mount(root: ShadowRoot, state: ThreadState, bridge: Bridge) {
    if (mounted.has(root)) return;
    mounted.add(root);
    const lang = pickLang(bridge.options.lang ?? state.lang);
    const t = translate(lang, await loadCatalog(bridge.base, lang));
    const painted = root.querySelector("section.parley");
    const container = document.createElement("div");
    render(<App root={root} initial={state} bridge={bridge} t={t} lang={lang} />, container);
    if (painted) painted.replaceWith(container);
    else root.appendChild(container);
  },
};

(window as unknown as Record<string, ThreadModule>)[THREAD_GLOBAL] = thread;
