import { oidcStart } from "../shared/endpoints.js";
/**
 * Sign-in in a window of Parley's own: the popup (`/auth/popup`) or an OIDC provider's start
 * route, both told to hand the session to this origin. Only a message from that very window,
 * on this origin, is taken; anything else (another tab, a framed page) is ignored.
 */
export function signInInWindow(path: string): Promise<string> {
  const popup = window.open(path, "parley-signin", "popup,width=480,height=680");
  if (!popup) return Promise.reject(new Error("The sign-in window was blocked; allow pop-ups for this page and try again."));
  return new Promise((resolve, reject) => {
    let timer = 0;
    const done = () => {
      window.removeEventListener("message", onMessage);
      clearInterval(timer);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== location.origin || event.source !== popup) return;
      const data = event.data as { type?: unknown; token?: unknown } | null;
      if (data?.type !== "parley:session" || typeof data.token !== "string") return;
      done();
      resolve(data.token);
    };
    window.addEventListener("message", onMessage);
    // The popup closes itself right after posting; give that message a moment to arrive first.
    timer = window.setInterval(() => {
      if (!popup.closed) return;
      clearInterval(timer);
      setTimeout(() => {
        done();
        reject(new Error("The sign-in window closed before you signed in."));
      }, 500);
    }, 400);
  });
}

/** Where the desk's own origin is the opener a sign-in hands its session to. */
export const popupPath = () => `/auth/popup?origin=${encodeURIComponent(location.origin)}`;
export const oidcPath = (provider: string) => oidcStart(provider, location.origin);

/**
 * The publisher's own sign-in page, told where to send the moderator afterwards: Parley's
 * popup page, which trades the `#sso=<jwt>` it is given for a session and hands it to the desk.
 * The publisher should only ever redirect to its own Parley's origin (docs/ACCOUNTS.md).
 */
export function publisherLoginPath(loginUrl: string): string {
  const url = new URL(loginUrl);
  url.searchParams.set("parley_return", `${location.origin}${popupPath()}`);
  return url.toString();
}
