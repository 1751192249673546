import type { Actor } from "../accounts/actor.js";
import { hasRole, sectionLimits } from "../accounts/actor.js";
import { findUserById, updateUser } from "../accounts/store.js";
import { authorize, commentSubject } from "../accounts/policies.js";
import type { Deps } from "../deps.js";
import { forbidden, notFound, validationFailed } from "../errors.js";
import type { UserRow } from "../store/schema.js";
import { audit } from "../audit/log.js";
import { withEvents } from "../events/spine.js";
import { banFromSite, insertNote, liftSiteBans, standingComments } from "./store.js";
import { type Decided, type DecisionReason, applyDecision } from "./decisions.js";
import type { UserAction as UserActionKind } from "../shared/moderation.js";

export interface UserAction {
  action: UserActionKind;
  /** Suspensions end then (ISO time). */
  until?: string;
  /** The warning shown to the user, or a note on the action. */
  message?: string;
  /** Ban from one site only (or, with clear, lift that site's ban only); without it the action covers every site. */
  siteId?: string;
  /**
   * With a ban or a suspension: also reject the user's published and held comments (in the
   * ban's site when it has one; on one story with `storyId`), each as a moderator's decision.
   */
  rejectComments?: { storyId?: string; reason?: DecisionReason };
}

const standing = (u: UserRow) => ({
  status: u.status,
  suspendedUntil: u.suspended_until,
  premod: u.premod === 1,
  warning: u.warning,
});

/** Ban, suspend, warn, pre-moderate or clear a user; each action lands in the audit log. */
export async function actOnUser(props: { deps: Deps; actor: Actor; userId: string; input: UserAction }) {
  const { deps, actor, input } = props;
  const now = deps.clock.now();
  const user = await findUserById(deps.store.db, props.userId);
  if (!user) throw notFound("User");
  if (user.id === actor.user.id) throw forbidden("You cannot act on your own account.");
  if (hasRole({ user, sessionId: "" }, "moderator") && !hasRole(actor, "admin"))
    throw forbidden("Only admins act on moderators.");
  const result = await withEvents(deps, async (trx, emit) => {
    let after: Partial<UserRow> = {};
    switch (input.action) {
      case "ban":
        if (input.siteId) {
          await banFromSite(trx, user.id, input.siteId, now);
        } else {
          after = { status: "banned" };
        }
        break;
      case "suspend": {
        const until = input.until ? Date.parse(input.until) : Number.NaN;
        if (Number.isNaN(until) || until <= now)
          throw validationFailed("A suspension needs an end time in the future (`until`).");
        after = { status: "suspended", suspended_until: until };
        break;
      }
      case "warn":
        if (!input.message?.trim()) throw validationFailed("A warning needs a message for the user.");
        after = { warning: input.message.trim().slice(0, 2000) };
        break;
      case "premod":
        after = { premod: 1 };
        break;
      case "clear":
        if (input.siteId) {
          await liftSiteBans(trx, user.id, input.siteId);
        } else {
          after = { status: "active", suspended_until: null, premod: 0, warning: null };
          await liftSiteBans(trx, user.id);
        }
        break;
    }
    if (Object.keys(after).length > 0) await updateUser(trx, user.id, after);
    const rejected: Decided[] = [];
    const sweep = input.rejectComments;
    if (sweep && (input.action === "ban" || input.action === "suspend")) {
      const reason = sweep.reason ? { code: sweep.reason } : { code: "other" as const, text: `Rejected with the author's ${input.action}.` };
      // A moderator of some sections of a site rejects only the comments in those sections.
      const limits = sectionLimits(actor);
      for (const comment of await standingComments(trx, { authorId: user.id, siteId: input.siteId, storyId: sweep.storyId, sectionLimits: limits })) {
        authorize(actor, "decide", commentSubject(comment));
        rejected.push(await applyDecision(trx, { deps, actor, comment, decision: { action: "reject", reason }, emit }));
      }
    } else if (sweep) {
      throw validationFailed("Only a ban or a suspension can reject the user's comments too.");
    }
    const updated = { ...user, ...after };
    await emit(trx, { type: "user.sanctioned", user, action: input.action, siteId: input.siteId ?? null, message: input.message ?? null });
    await audit(deps, trx, {
      siteId: input.siteId ?? null,
      actorId: actor.user.id,
      action: `user.${input.action}`,
      targetType: "user",
      targetId: user.id,
      reasonText: input.message?.slice(0, 2000) ?? null,
      before: standing(user),
      after: {
        ...standing(updated),
        ...(input.siteId ? { bannedFromSite: input.action === "ban" ? input.siteId : undefined } : {}),
        ...(sweep ? { rejectedComments: rejected.length, ...(sweep.storyId ? { onStory: sweep.storyId } : {}) } : {}),
      },
    });
    return {
      userId: user.id,
      ...standing(updated),
      suspendedUntil: updated.suspended_until ? new Date(updated.suspended_until).toISOString() : null,
      rejectedComments: rejected.length,
      rejected,
    };
  });
  const { rejected: _decided, ...answer } = result;
  return answer;
}

/** The user read the moderator's warning; they may comment again. */
export async function acknowledgeWarning(deps: Deps, actor: Actor): Promise<void> {
  if (!actor.user.warning) return;
  await deps.store.db.transaction().execute(async (trx) => {
    await updateUser(trx, actor.user.id, { warning: null });
    await audit(deps, trx, {
      actorId: actor.user.id,
      action: "user.acknowledge_warning",
      targetType: "user",
      targetId: actor.user.id,
    });
  });
}

/** A moderator's note on a user, kept for the moderators of `siteId` (every site's when null). */
export async function addNote(props: { deps: Deps; actor: Actor; userId: string; siteId: string | null; body: string }) {
  const { deps, actor } = props;
  if (!(await findUserById(deps.store.read, props.userId))) throw notFound("User");
  const note = {
    id: deps.ids.next(),
    user_id: props.userId,
    site_id: props.siteId,
    author_id: actor.user.id,
    body: props.body.trim().slice(0, 5000),
    created_at: deps.clock.now(),
  };
  if (!note.body) throw validationFailed("A note needs text.");
  await deps.store.db.transaction().execute(async (trx) => {
    await insertNote(trx, note);
    await audit(deps, trx, {
      siteId: props.siteId,
      actorId: actor.user.id,
      action: "user.note",
      targetType: "user",
      targetId: props.userId,
    });
  });
  return presentNote(note);
}

export const presentNote = (n: { id: string; body: string; author_id: string; site_id: string | null; created_at: number }) => ({
  id: n.id,
  body: n.body,
  authorId: n.author_id,
  siteId: n.site_id,
  createdAt: new Date(n.created_at).toISOString(),
});
