import type { Session } from "../../shared/bridge.js";
import { exactTime } from "../../shared/messages.js";
import type { CommentGate } from "../../shared/types.js";
import type { Request } from "../../shared/http.js";
import type { Translate } from "../../shared/messages.js";
import { Composer } from "./composer.js";
import { SignIn } from "./signin.js";

interface Props {
  t: Translate;
  lang: string;
  gate: CommentGate;
  session: Session | null;
  signingIn: boolean;
  base: string;
  request: Request;
  setSigningIn(on: boolean): void;
  onSession(session: Session | null): void;
}

/**
 * Where a reader writes, or learns why they cannot: closed, subscribers only, signed out,
 * signing in, or the composer with who is writing.
 */
export function ComposeSlot({ t, lang, gate, session, signingIn, base, request, setSigningIn, onSession }: Props) {
  const signIn = <SignIn base={base} request={request} onSession={onSession} onCancel={() => setSigningIn(false)} />;
  const signOut = (
    <button type="button" class="p-action" onClick={() => onSession(null)}>
      {t("signOut")}
    </button>
  );
  return (
    <div class="p-compose-slot">
      {gate.kind === "closed" ? (
        <div class="p-note p-gate" role="status">
          <strong>{t("commentsClosed")}</strong>{" "}
          <span>{gate.closedAt ? t("closedOn", { date: exactTime(gate.closedAt, lang) }) : t("storyClosed")}</span>
        </div>
      ) : gate.kind === "subscribers" ? (
        <div class="p-note p-gate" role="status">
          <strong>{t("subscribersOnly")}</strong> <span>{t("subscribersOnlyWhy")}</span>
          <span class="p-gate-actions">
            {gate.subscribeUrl && (
              <a class="p-btn p-primary" href={gate.subscribeUrl} target="_top" rel="noopener">
                {t("subscribe")}
              </a>
            )}
            {!session && !signingIn && (
              <button type="button" class="p-action" onClick={() => setSigningIn(true)}>
                {t("subscriberSignIn")}
              </button>
            )}
          </span>
          {!session && signingIn && signIn}
          {session && (
            <span class="p-gate-who">
              {t("signedInAs", { name: session.user.displayName })} {signOut}
            </span>
          )}
        </div>
      ) : session ? (
        <>
          <p class="p-who">
            <span class="p-grow">{t("signedInAs", { name: session.user.displayName })}</span>
            {signOut}
          </p>
          <Composer mode="new" />
        </>
      ) : signingIn ? (
        signIn
      ) : (
        <button type="button" class="p-btn p-primary" onClick={() => setSigningIn(true)}>
          {t("signInToComment")}
        </button>
      )}
      {gate.kind === "open" && (gate.closesAt || gate.premodNow || gate.registered) && (
        <p class="p-note p-closes">
          {[
            gate.registered ? t("registeredOnly") : "",
            gate.premodNow ? t("premodNow") : "",
            gate.closesAt ? t("closesOn", { date: exactTime(gate.closesAt, lang) }) : "",
          ]
            .filter(Boolean)
            .join(" ")}
        </p>
      )}
    </div>
  );
}
