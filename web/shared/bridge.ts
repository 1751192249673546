import type { SignedIn } from "../../src/shared/accounts.js";
import type { ThreadState } from "./types.js";

/** What a publisher passes to `Parley.render(el, options)` or as `data-*` attributes. */
export interface EmbedOptions {
  storyUrl?: string;
  storyId?: string;
  lang?: string;
  theme?: "light" | "dark" | "auto";
  ssoToken?: string;
  /** The page title signed with a site SSO secret (see docs/EMBED.md); without it the story is titled by its path. */
  titleSignature?: string;
  /** The newsroom section (data-section), taken when the story is first seen. */
  section?: string;
}

/** Events a publisher can follow with `Parley.on(name, fn)`. */
export type EmbedEvent = "ready" | "login" | "logout" | "comment.posted" | "error";

/** A reader's session: the bearer token and who it is for, as sign-in answers it. */
export type Session = SignedIn;

/**
 * The loader's side of the handshake: the thread UI gets the Parley origin, the session
 * kept per site in localStorage, and a way to raise publisher events. Both halves are built
 * from this one type, so a change to it breaks the build rather than the page.
 */
export interface Bridge {
  base: string;
  options: EmbedOptions;
  session(): Session | null;
  saveSession(session: Session | null): void;
  /** Subscribes to sign-in changes made elsewhere on the page (another thread, `Parley.login`). */
  onSession(fn: () => void): void;
  emit(event: EmbedEvent, detail?: unknown): void;
}

/** The thread UI registers itself under this global name when its script runs. */
export const THREAD_GLOBAL = "__parleyThread";

export interface ThreadModule {
  /** Resolves once the thread UI has taken the painted thread over. */
  mount(root: ShadowRoot, state: ThreadState, bridge: Bridge): Promise<void>;
}
