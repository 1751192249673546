import type { Comment, Sort, ThreadState } from "../shared/thread.js";
import { MAX_INDENT_DEPTH, REACTION_ICONS, REACTION_KINDS } from "../shared/thread.js";
import { type Translate, pickLang, translator } from "../shared/messages/index.js";
import { exactTime, relativeTime } from "../shared/messages/time.js";
import { commentGate } from "../shared/policy.js";

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** JSON inside a `<script type="application/json">` data block: no `</script>` can close it early. */
export const jsonForHtml = (value: unknown) =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

interface Ctx {
  t: Translate;
  lang: string;
  now: number;
  /** Builds the no-JavaScript link to the next page of comments. */
  pageHref: (cursor: string) => string;
}

export const icon = (path: string) =>
  `<svg class="p-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${path}"/></svg>`;

const ROLE_BADGES = new Set(["staff", "moderator", "admin"]);

/** The role's badge in the reader's language, then any badge the publisher's sign-in gave (e.g. "Reporter"), as written. */
function badges(ctx: Ctx, c: Comment): string {
  const removed = c.status === "removed";
  return (
    c.author.badges
      .map((b) => (ROLE_BADGES.has(b) ? `<span class="p-badge p-badge-${b}">${escapeHtml(ctx.t(b as "staff"))}</span>` : `<span class="p-badge p-badge-claim">${escapeHtml(b)}</span>`))
      .join("") +
    (c.featured && !removed ? `<span class="p-badge p-pick">${escapeHtml(ctx.t("pickBadge"))}</span>` : "") +
    (c.answered && !removed ? `<span class="p-badge p-answered">${escapeHtml(ctx.t("answeredBadge"))}</span>` : "")
  );
}

/**
 * The reactions as the widget's single control shows them (the most given one's icon and the
 * total), so the thread does not shift when the widget takes over; without JavaScript there
 * is nothing to press, and the label spells the counts out.
 */
function reactions(ctx: Ctx, c: Comment): string {
  const count = (kind: (typeof REACTION_KINDS)[number]) => c.reactions[kind] ?? 0;
  const total = REACTION_KINDS.reduce((n, kind) => n + count(kind), 0);
  const top = REACTION_KINDS.reduce((a, b) => (count(b) > count(a) ? b : a));
  const spelled = REACTION_KINDS.filter((kind) => count(kind) > 0)
    .map((kind) => `${ctx.t(kind)} ${count(kind)}`)
    .join(", ");
  const label = escapeHtml(`${ctx.t("reactionsLabel")}${spelled ? `: ${spelled}` : ""}`);
  return `<span class="p-react" title="${label}">${icon(REACTION_ICONS[top])}${total > 0 ? ` ${total}` : ""}<span class="p-sr">${label}</span></span>`;
}

function comment(ctx: Ctx, c: Comment): string {
  const id = escapeHtml(c.id);
  const removed = c.status === "removed";
  const body = removed ? `<p class="p-removed">${escapeHtml(ctx.t("removed"))}</p>` : c.bodyHtml;
  const edited = c.editedAt ? ` <span class="p-edited">(${escapeHtml(ctx.t("edited"))})</span>` : "";
  const meta = `<header class="p-meta"><img class="p-avatar" src="${escapeHtml(c.author.avatarUrl)}" alt="" width="36" height="36" loading="lazy"><span class="p-author" id="p-author-${id}">${escapeHtml(c.author.displayName)}</span>${badges(ctx, c)}<a class="p-time" href="#comment-${id}"><time datetime="${escapeHtml(c.createdAt)}" title="${escapeHtml(exactTime(c.createdAt, ctx.lang))}">${escapeHtml(relativeTime(c.createdAt, ctx.now, ctx.lang))}</time><span class="p-sr"> · ${escapeHtml(ctx.t("permalink"))}</span></a>${edited}</header>`;
  const actions = removed ? "" : `<footer class="p-actions">${reactions(ctx, c)}</footer>`;
  let replies = "";
  const items = c.replies?.items ?? [];
  if (c.depth >= MAX_INDENT_DEPTH && c.replyCount > 0) {
    replies = `<a class="p-more p-continue" href="${escapeHtml(ctx.pageHref(""))}#comment-${id}">${escapeHtml(ctx.t("continueThread"))}</a>`;
  } else {
    if (items.length > 0) replies = `<ol class="p-replies">${items.map((r) => comment(ctx, r)).join("")}</ol>`;
    const hidden = c.replyCount - items.length;
    if (hidden > 0) {
      const key = items.length > 0 ? "moreReplies" : "showReplies";
      replies += `<p class="p-more">${escapeHtml(ctx.t(key, { n: hidden }))}</p>`;
    }
  }
  return `<li class="p-item p-depth-${Math.min(c.depth, MAX_INDENT_DEPTH)}" id="comment-${id}" data-comment-id="${id}"><article class="p-comment" aria-labelledby="p-author-${id}"${removed ? ' data-removed=""' : ""}>${meta}<div class="p-body">${body}</div>${actions}</article>${replies}</li>`;
}

const SORTS: [Sort, "sortNewest" | "sortOldest" | "sortTop" | "sortBest" | "sortAnswered"][] = [
  ["newest", "sortNewest"],
  ["oldest", "sortOldest"],
  ["top", "sortTop"],
  ["best", "sortBest"],
];
/** A Q&A story offers its questions answered first, and opens in that order. */
const QA_SORTS: typeof SORTS = [["answered", "sortAnswered"], ...SORTS];

/** Why "Most helpful" orders as it does; without JavaScript a <details> opens it, as the widget's button does. */
const why = (t: Translate) =>
  `<details class="p-why"><summary class="p-more">${escapeHtml(t("sortBestWhy"))}</summary><p class="p-help">${escapeHtml(t("sortBestExplained"))}</p></details>`;

/**
 * The first page of a thread as complete, accessible HTML that needs no JavaScript, with
 * the same class names the widget renders, and the data the widget takes over from.
 */
export function renderThread(
  state: ThreadState,
  options: { pageHref: (cursor: string) => string; sortHref: (sort: Sort) => string },
): string {
  const lang = pickLang(state.lang);
  const ctx: Ctx = { t: translator(lang), lang, now: Date.parse(state.renderedAt), pageHref: options.pageHref };
  const { t } = ctx;
  const qa = state.story.mode === "qa";
  const sorts = (qa ? QA_SORTS : SORTS).map(
    ([sort, key]) =>
      `<a class="p-sort-option" href="${escapeHtml(options.sortHref(sort))}"${sort === state.sort ? ' aria-current="true"' : ""}>${escapeHtml(t(key))}</a>`,
  ).join("");
  const list =
    state.page.items.length > 0
      ? `<ol class="p-list">${state.page.items.map((c) => comment(ctx, c)).join("")}</ol>`
      : `<p class="p-empty">${escapeHtml(t(commentGate(state.story, null, ctx.now).kind === "closed" ? "noCommentsClosed" : "noComments"))}</p>`;
  const more = state.page.nextCursor
    ? `<a class="p-load" href="${escapeHtml(options.pageHref(state.page.nextCursor))}">${escapeHtml(t("loadMore"))}</a>`
    : "";
  const note = gateNote(ctx, state);
  return `<section class="parley" lang="${lang}" aria-labelledby="p-title" data-ssr=""><header class="p-head"><h2 class="p-title" id="p-title">${escapeHtml(t(qa ? "questions" : "comments", { n: state.story.commentCount }))}</h2><nav class="p-sort" aria-label="${escapeHtml(t("sortLabel"))}">${sorts}</nav>${state.sort === "best" ? why(t) : ""}</header><div class="p-compose-slot">${note}</div>${list}${more}<script type="application/json" class="p-state">${jsonForHtml(state)}</script></section>`;
}

/** Why a reader cannot comment, or until when they can: the same sentences the widget shows. */
function gateNote(ctx: Ctx, state: ThreadState): string {
  const { t, lang } = ctx;
  const gate = commentGate(state.story, null, ctx.now);
  if (gate.kind === "closed") {
    const why = gate.closedAt ? t("closedOn", { date: exactTime(gate.closedAt, lang) }) : t("storyClosed");
    return `<div class="p-note p-gate" role="status"><strong>${escapeHtml(t("commentsClosed"))}</strong> <span>${escapeHtml(why)}</span></div>`;
  }
  if (gate.kind === "subscribers") {
    const link = gate.subscribeUrl ? ` <a class="p-btn p-primary" href="${escapeHtml(gate.subscribeUrl)}" rel="noopener" target="_top">${escapeHtml(t("subscribe"))}</a>` : "";
    return `<div class="p-note p-gate" role="status"><strong>${escapeHtml(t("subscribersOnly"))}</strong> <span>${escapeHtml(t("subscribersOnlyWhy"))}</span>${link}</div>`;
  }
  const closes = gate.closesAt ? `<p class="p-note p-closes">${escapeHtml(t("closesOn", { date: exactTime(gate.closesAt, lang) }))}</p>` : "";
  return `<p class="p-note p-ssr-only">${escapeHtml(t("noScript"))}</p>${closes}`;
}
