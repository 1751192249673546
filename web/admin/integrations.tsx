import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";

/**
 * Sign-in and delivery settings live with their own modules (accounts, notifications). Each
 * section shows what its GET endpoint returns once that module serves one, and says plainly
 * when it does not yet; secrets come back masked from the server, never in full.
 */
const SECTIONS = [
  { title: "Publisher SSO (secrets and JWKS)", path: "/api/v1/admin/sso" },
  { title: "OpenID Connect providers", path: "/api/v1/admin/oidc" },
  { title: "E-mail", path: "/api/v1/admin/email" },
  { title: "Webhooks", path: "/api/v1/admin/webhooks" },
];

function Section(props: { title: string; path: string }) {
  const [value, setValue] = useState<unknown>(undefined);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    api<unknown>("GET", props.path).then(setValue, () => setMissing(true));
  }, [props.path]);
  return (
    <section class="integration" aria-labelledby={`int-${props.path.split("/").pop()}`}>
      <h3 id={`int-${props.path.split("/").pop()}`}>{props.title}</h3>
      {missing ? (
        <p class="muted">Not configured here yet: set it in the server's environment for now.</p>
      ) : value === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <pre class="mono">{JSON.stringify(value, null, 2)}</pre>
      )}
    </section>
  );
}

export function Integrations() {
  return (
    <>
      <h2>Sign-in and delivery</h2>
      <p class="muted">
        The edit window is set by PARLEY_EDIT_WINDOW_SECONDS on the server and applies to every site.
      </p>
      {SECTIONS.map((s) => <Section key={s.path} {...s} />)}
    </>
  );
}
