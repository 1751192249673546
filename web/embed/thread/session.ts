import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Bridge, Session } from "../../shared/bridge.js";
import { me } from "../../shared/endpoints.js";
import { connect } from "../../shared/http.js";
import type { Translate } from "../../shared/messages.js";

/**
 * The reader's session, kept by the loader per site: who is signed in, a Request carrying
 * their token, and what /me says they may do (feature comments, join a subscribers-only thread).
 */
export function useSession(bridge: Bridge, t: Translate) {
  const [session, setSession] = useState<Session | null>(bridge.session());
  const [featureSites, setFeatureSites] = useState<string[]>([]);
  // The signed-in reader's entitlements (from /me): whether a subscribers-only thread is theirs to join.
  const [entitlements, setEntitlements] = useState<string[]>([]);
  const ref = useRef(session);
  ref.current = session;
  const request = useMemo(
    () =>
      connect({
        base: bridge.base,
        headers: (): Record<string, string> => (ref.current ? { authorization: `Bearer ${ref.current.token}` } : {}),
        offline: t("networkError"),
      }),
    [bridge.base, t],
  );
  useEffect(() => bridge.onSession(() => setSession(bridge.session())), []);
  /** Asks /me again: after a sign-in, or on load for a reader signed in before. */
  const refresh = () =>
    me(request).then((answer) => {
      setFeatureSites(answer.abilities.feature);
      setEntitlements(answer.user.entitlements ?? []);
    });
  const save = (s: Session | null) => {
    bridge.saveSession(s);
    setSession(s);
    // Requests sent before the next render must carry the new token.
    ref.current = s;
  };
  return { session, ref, request, featureSites, entitlements, refresh, save };
}
