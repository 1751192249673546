import type { ComponentChildren } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Comment } from "../../shared/types.js";
import { REACTION_ICONS, REACTION_KINDS, type ReactionKind } from "../../shared/types.js";
import { ApiError } from "../../shared/http.js";
import { Ctx } from "./context.js";

const Icon = ({ d, dots }: { d: string; dots?: boolean }) => (
  <svg class={dots ? "p-icon p-dots" : "p-icon"} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d={d} />
  </svg>
);
const DOTS = "M5 12h.01M12 12h.01M19 12h.01";

/** Moves focus among a group's buttons with the arrow keys, Home and End (one tab stop for the group). */
function rove(event: KeyboardEvent, selector: string, vertical = false): void {
  const keys = vertical ? ["ArrowDown", "ArrowUp"] : ["ArrowRight", "ArrowLeft"];
  if (![...keys, "Home", "End"].includes(event.key)) return;
  const items = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(selector)];
  const at = items.indexOf(event.target as HTMLElement);
  if (at < 0) return;
  event.preventDefault();
  const next =
    event.key === "Home"
      ? 0
      : event.key === "End"
        ? items.length - 1
        : (at + (event.key === keys[0] ? 1 : -1) + items.length) % items.length;
  items[next].focus();
}

/** A button that opens a small menu below it; Escape or a click elsewhere closes it and focus returns. */
function MenuButton(props: {
  label: string;
  button: ComponentChildren;
  tabIndex: number;
  class?: string;
  children: (close: () => void) => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("[role^=menuitem]")?.focus();
    const outside = (e: Event) => {
      if (!e.composedPath().some((n) => n === menu.current || n === trigger.current)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);
  return (
    <span class="p-menu-wrap">
      <button
        ref={trigger}
        type="button"
        class={`p-action ${props.class ?? ""}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={props.label}
        tabIndex={props.tabIndex}
        // Keeps a text selection in the comment alive for "Quote".
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => setOpen(!open)}
      >
        {props.button}
      </button>
      {open && (
        <div
          ref={menu}
          class="p-menu"
          role="menu"
          aria-label={props.label}
          onKeyDown={(e) => {
            if (e.key === "Escape" || e.key === "Tab") {
              e.preventDefault();
              close();
            } else rove(e, "[role^=menuitem]", true);
          }}
        >
          {props.children(close)}
        </div>
      )}
    </span>
  );
}

/**
 * A comment's actions as one toolbar (a single tab stop; arrow keys move within it): one
 * reactions control showing the reader's choice and the count, Helpful / Not helpful (the
 * bridging rating), Reply, and "More" with the rest.
 */
export function Actions(props: {
  comment: Comment;
  here: string | null;
  open: (kind: "reply" | "edit" | "report" | "delete") => void;
}) {
  const ctx = useContext(Ctx);
  const { t, viewer } = ctx;
  const { comment: c, here } = props;
  const mine = viewer?.id === c.author.id;
  const published = c.status === "published";
  const editable = mine && Date.now() - Date.parse(c.createdAt) < ctx.limits.editWindowSeconds * 1000;
  const [focused, setFocused] = useState(0);
  const tab = (i: number) => (i === focused ? 0 : -1);
  const chosen = REACTION_KINDS.find((k) => c.viewerReactions.includes(k));
  const total = REACTION_KINDS.reduce((n, k) => n + (c.reactions[k] ?? 0), 0);
  const shown: ReactionKind =
    chosen ?? REACTION_KINDS.reduce((a, b) => ((c.reactions[b] ?? 0) > (c.reactions[a] ?? 0) ? b : a));
  const react = (kind: ReactionKind) => (viewer ? void ctx.react(c, kind).catch(() => undefined) : ctx.signIn());
  const rating = ctx.ratings[c.id];
  const rate = (value: "helpful" | "not_helpful") =>
    void ctx.rate(c, value).catch((e: unknown) => ctx.announce(e instanceof ApiError ? e.message : t("networkError")));
  const copyLink = () => {
    const url = `${location.href.split("#")[0]}#comment-${c.id}`;
    void navigator.clipboard?.writeText(url).then(
      () => ctx.announce(t("linkCopied")),
      () => ctx.announce(url),
    );
  };
  let i = 0;
  return (
    <div
      class="p-actions"
      role="toolbar"
      aria-label={t("actionsOn", { name: c.author.displayName })}
      onKeyDown={(e) => rove(e, ":scope > button, :scope > span > button")}
      onFocusIn={(e) => {
        const items = [...(e.currentTarget as HTMLElement).querySelectorAll(":scope > button, :scope > span > button")];
        const at = items.indexOf(e.target as Element);
        if (at >= 0) setFocused(at);
      }}
    >
      <MenuButton
        label={`${t("reactionsLabel")}${total ? `: ${total}` : ""}${chosen ? ` (${t(chosen)})` : ""}`}
        class={`p-react${chosen ? " p-chosen" : ""}`}
        tabIndex={tab(i++)}
        button={
          <>
            <Icon d={REACTION_ICONS[shown]} />
            {total > 0 && <span>{total}</span>}
          </>
        }
      >
        {(close) =>
          REACTION_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              role="menuitemcheckbox"
              aria-checked={c.viewerReactions.includes(kind)}
              tabIndex={-1}
              onClick={() => {
                react(kind);
                close();
              }}
            >
              <Icon d={REACTION_ICONS[kind]} /> {t(kind)}
              {c.reactions[kind] ? <span class="p-count">{c.reactions[kind]}</span> : null}
            </button>
          ))
        }
      </MenuButton>
      {viewer && !mine && published && (
        <span class="p-rate" role="group" aria-label={t("ratingLabel")}>
          <button
            type="button"
            class="p-action p-rate-option"
            aria-pressed={rating === "helpful"}
            tabIndex={tab(i++)}
            onClick={() => rate("helpful")}
          >
            {t("helpful")}
          </button>
          <button
            type="button"
            class="p-action p-rate-option"
            aria-pressed={rating === "not_helpful"}
            tabIndex={tab(i++)}
            onClick={() => rate("not_helpful")}
          >
            {t("notHelpful")}
          </button>
        </span>
      )}
      {ctx.open && published && (
        <button
          type="button"
          class="p-action"
          aria-expanded={here === "reply"}
          tabIndex={tab(i++)}
          onClick={() => props.open("reply")}
        >
          {t("reply")}
        </button>
      )}
      <MenuButton label={t("more")} tabIndex={tab(i++)} button={<Icon d={DOTS} dots />}>
        {(close) => (
          <>
            {ctx.open && published && (
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                title={t("quoteHint")}
                onMouseDown={(e) => e.preventDefault()}
                onClick={(e) => {
                  close();
                  if (viewer)
                    e.currentTarget.dispatchEvent(
                      new CustomEvent("parley-quote", { detail: c.id, bubbles: true, composed: true }),
                    );
                  else ctx.signIn();
                }}
              >
                {t("quote")}
                <span class="p-hint">{t("quoteHint")}</span>
              </button>
            )}
            {editable && (
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => (close(), props.open("edit"))}>
                {t("edit")}
              </button>
            )}
            {mine && (
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => (close(), props.open("delete"))}>
                {t("delete")}
              </button>
            )}
            {ctx.mayFeature && published && (
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  close();
                  void ctx
                    .feature(c, !c.featured)
                    .catch((e: unknown) => ctx.announce(e instanceof ApiError ? e.message : t("networkError")));
                }}
              >
                {t(c.featured ? "unfeature" : "feature")}
              </button>
            )}
            <button type="button" role="menuitem" tabIndex={-1} onClick={() => (close(), copyLink())}>
              {t("copyLink")}
            </button>
            {!mine && published && (
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => (close(), props.open("report"))}>
                {t("report")}
              </button>
            )}
            {!mine && published && (
              <a role="menuitem" tabIndex={-1} href={`${ctx.base}/notice?comment=${c.id}`} target="_blank">
                {t("notice")}
              </a>
            )}
          </>
        )}
      </MenuButton>
    </div>
  );
}
