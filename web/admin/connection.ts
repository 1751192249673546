/**
 * The desk's connection to Parley: same origin, the session in its HttpOnly cookie, writes
 * carrying the session's CSRF token. The calls themselves are in web/shared/endpoints.ts.
 */
import { connect } from "../shared/http.js";

let csrf = "";
/** Writes carry the session's CSRF token; the session itself rides in the HttpOnly cookie. */
export const setCsrf = (token: string) => void (csrf = token);

/** Called when the session ends under the desk (expired, signed out elsewhere). */
let onSignedOut: () => void = () => undefined;
export const whenSignedOut = (callback: () => void) => void (onSignedOut = callback);

export const desk = connect({
  base: "",
  headers: (method): Record<string, string> => (method === "GET" ? {} : { "x-csrf-token": csrf }),
  offline: "Parley cannot be reached; check the connection and try again.",
  cookies: true,
  refused: (status, path) => {
    if (status === 401 && path !== "/admin/session") onSignedOut();
  },
});
