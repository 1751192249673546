/**
 * The audit log in people's words: "Ana approved Pat's comment on 'Riverside library…'".
 * Moderators read names, story titles and sentences, never ids or action codes; the raw
 * fields stay in the API for scripts.
 */
import type { Selectable } from "kysely";
import type { Deps } from "../deps.js";
import type { ModerationActionsTable } from "../store/schema.js";
import { commentAuthorsAndStories, displayNames, siteNames, storyTitles } from "./store-desk.js";

type ActionRow = Selectable<ModerationActionsTable>;

const REASONS: Record<string, string> = {
  offensive: "offensive",
  abusive: "abusive",
  spam: "spam",
  "hate-speech": "hate speech",
  harassment: "harassment",
  misinformation: "misinformation",
  "off-topic": "off-topic",
  "illegal-content": "illegal content",
  other: "other",
};

/** A reason code as words ("hate-speech" → "hate speech"). */
export const reasonLabel = (code: string | null | undefined) =>
  code ? (REASONS[code] ?? code.replace(/[-_]/g, " ")) : null;

const ROLES: Record<string, string> = { moderator: "a moderator", admin: "an admin", reader: "a reader" };
const FIELDS: Record<string, string> = {
  status: "status",
  premod: "pre-moderation",
  title: "title",
  mode: "mode",
  origins: "allowed origins",
  name: "name",
};

function titled(title: string | undefined): string {
  if (!title) return "a story";
  return `“${title.length > 60 ? `${title.slice(0, 57).trimEnd()}…` : title}”`;
}

const parse = (json: string | null): Record<string, unknown> => {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
};

const day = (iso: unknown) =>
  typeof iso === "number" || typeof iso === "string"
    ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC"
    : "further notice";

/** Names of the people, comments, stories and sites the rows mention, in four queries. */
async function lookups(deps: Deps, rows: ActionRow[]) {
  const db = deps.store.read;
  const commentIds = rows.filter((r) => r.target_type === "comment").map((r) => r.target_id);
  const comments = await commentAuthorsAndStories(db, commentIds);
  const storyIds = [
    ...new Set([
      ...comments.map((c) => c.storyId),
      ...rows.filter((r) => r.target_type === "story").map((r) => r.target_id),
    ]),
  ];
  const userIds = [
    ...new Set([
      ...rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])),
      ...rows.filter((r) => r.target_type === "user").map((r) => r.target_id),
      ...comments.map((c) => c.authorId),
    ]),
  ];
  const [user, stories, site] = await Promise.all([displayNames(db, userIds), storyTitles(db, storyIds), siteNames(db)]);
  return {
    user,
    comment: new Map(comments.map((c) => [c.id, c])),
    story: new Map(stories.map((s) => [s.id, s])),
    site,
  };
}

export interface Described {
  actor: { id: string; displayName: string } | null;
  /** One sentence: who did what to whom, where. */
  summary: string;
  /** Where the target can be seen: the comment in its thread, or the story. */
  href: string | null;
}

/** One sentence per audit row, with the names it needs looked up in a batch. */
export async function describeActions(deps: Deps, rows: ActionRow[]): Promise<Described[]> {
  const names = await lookups(deps, rows);
  const person = (id: string | null | undefined) => (id ? (names.user.get(id) ?? "a deleted account") : "Parley");
  const possessive = (name: string) => `${name}’s`;
  return rows.map((row) => {
    const actorName = person(row.actor_id);
    const before = parse(row.before);
    const after = parse(row.after);
    const siteName = row.site_id ? (names.site.get(row.site_id) ?? "a removed site") : null;
    const reason = reasonLabel(row.reason_code);
    const because = reason && row.reason_code !== "other" ? ` as ${reason}` : "";
    let href: string | null = null;
    let what: string;
    const target = person(row.target_id);
    switch (row.target_type) {
      case "comment": {
        const comment = names.comment.get(row.target_id);
        const story = comment ? names.story.get(comment.storyId) : undefined;
        const whose = comment ? `${possessive(person(comment.authorId))} comment` : "a deleted comment";
        const verbs: Record<string, string> = {
          "comment.approve": "approved",
          "comment.reject": "rejected",
          "comment.feature": "featured",
          "comment.unfeature": "stopped featuring",
          "appeal.file": "appealed the decision on",
          "appeal.uphold": "upheld, on appeal, the decision on",
          "appeal.reverse": "reversed, on appeal, the decision on",
        };
        const verb = verbs[row.action] ?? "changed";
        if (story && comment) href = `${story.url}#comment-${comment.id}`;
        const pick = row.action === "comment.feature" ? " as an editor’s pick" : "";
        const appealed = row.action.startsWith("appeal.");
        what = `${verb} ${whose}${story ? ` on ${titled(story.title)}` : ""}${pick}${appealed ? "" : because}`;
        break;
      }
      case "user": {
        const rejected =
          typeof after.rejectedComments === "number" && after.rejectedComments > 0 ? after.rejectedComments : 0;
        const andRejected = rejected ? ` and rejected ${rejected === 1 ? "one" : rejected} of their comments` : "";
        const fromSite =
          typeof after.bannedFromSite === "string" ? ` from ${names.site.get(after.bannedFromSite) ?? "a site"}` : "";
        const sentences: Record<string, string> = {
          "user.ban": `banned ${target}${fromSite}${andRejected}`,
          "user.suspend": `suspended ${target} until ${day(after.suspendedUntil)}${andRejected}`,
          "user.warn": `warned ${target}`,
          "user.premod": `put ${possessive(target)} comments on pre-moderation`,
          "user.clear": row.site_id
            ? `lifted ${possessive(target)} ban from ${siteName}`
            : `cleared ${possessive(target)} standing`,
          "user.note": `added a note on ${target}`,
          "user.message": `sent ${target} a message`,
          "user.acknowledge_warning": "read the warning and may comment again",
          "user.site_role": `made ${target} ${ROLES[String(after.role)] ?? String(after.role)}${siteName ? ` of ${siteName}` : ""}`,
          "user.site_role_removed": `removed ${possessive(target)} role${siteName ? ` on ${siteName}` : ""}`,
          "user.identity_link": "linked a sign-in account",
          "user.identity_unlink": "unlinked a sign-in account",
          "account.export": "downloaded their data",
          "account.delete": "deleted their account",
        };
        what = sentences[row.action] ?? `changed ${possessive(target)} account`;
        break;
      }
      case "story": {
        const story = names.story.get(row.target_id);
        if (story) href = story.url;
        if (row.action === "story.correct" || row.action === "correction.decline") {
          const together = Array.isArray(after.together) && after.together.length > 0 ? ` (with ${after.together.length} more on the same passage)` : "";
          what =
            row.action === "story.correct"
              ? `published a correction on ${titled(story?.title)}${together}`
              : `declined a suggested correction on ${titled(story?.title)}${together}`;
          break;
        }
        const changes = Object.keys(after)
          .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
          .map(
            (k) => `${FIELDS[k] ?? k} to ${after[k] === true ? "on" : after[k] === false ? "off" : String(after[k])}`,
          );
        what = `changed ${titled(story?.title)}${changes.length ? `: ${changes.join(", ")}` : ""}`;
        break;
      }
      case "site": {
        const name = String(after.name ?? names.site.get(row.target_id) ?? "a site");
        const added =
          Array.isArray(after.origins) && Array.isArray(before.origins)
            ? after.origins.filter((o) => !(before.origins as unknown[]).includes(o))
            : [];
        const removed =
          Array.isArray(after.origins) && Array.isArray(before.origins)
            ? before.origins.filter((o) => !(after.origins as unknown[]).includes(o))
            : [];
        const parts = [
          ...(added.length ? [`allowed ${added.join(", ")}`] : []),
          ...(removed.length ? [`stopped allowing ${removed.join(", ")}`] : []),
        ];
        what =
          row.action === "site.create"
            ? `added the site ${name}`
            : `changed the site ${name}${parts.length ? `: ${parts.join("; ")}` : ""}`;
        break;
      }
      default: {
        const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
        const topic: Record<string, string> = {
          "settings.update": "the moderation settings",
          "settings.accounts.update": "the sign-in settings",
          "settings.notifications": "the notification settings",
          "outbox.retry": "a webhook delivery (sent again)",
        };
        const webhooks: Record<string, string> = {
          "webhook.create": `added a webhook${typeof after.url === "string" ? ` to ${after.url}` : ""}`,
          "webhook.update": "changed a webhook",
          "webhook.delete": "removed a webhook",
          "webhook.secret.add": "added a webhook signing secret",
          "webhook.secret.remove": "removed a webhook signing secret",
          "webhook.replay": "sent a webhook delivery again",
        };
        const subject = topic[row.action] ?? "the settings";
        const fields = changed.length
          ? ` (${changed.map((k) => k.replace(/([A-Z])/g, " $1").toLowerCase()).join(", ")})`
          : "";
        what =
          (webhooks[row.action] ?? `${row.action === "outbox.retry" ? "retried" : "changed"} ${subject}${fields}`) +
          (siteName ? ` of ${siteName}` : "");
      }
    }
    const subjectIsTarget =
      row.action === "user.acknowledge_warning" ||
      row.action.startsWith("account.") ||
      row.action.startsWith("user.identity");
    const summary = `${subjectIsTarget ? target : actorName} ${what}.`;
    return {
      actor: row.actor_id ? { id: row.actor_id, displayName: person(row.actor_id) } : null,
      summary: summary.charAt(0).toUpperCase() + summary.slice(1),
      href,
    };
  });
}
