import type { Actor } from "../accounts/actor.js";
import { findComment, moveStatus } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { conflict, forbidden, notFound, rateLimited } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { ReportReason } from "../store/schema.js";
import { isUniqueViolation } from "../store/errors.js";
import { moderationSettings } from "./settings.js";
import { normaliseText } from "../comments/text.js";
import { withEvents } from "../events/spine.js";

export const REPORT_REASONS: ReportReason[] = ["offensive", "abusive", "spam", "misinformation", "off-topic", "other"];
/** Each open report moves a comment up the queue by more than any score can. */
export const REPORT_PRIORITY = 1000;

/**
 * A reader reports a comment, once. When enough distinct readers report a published
 * comment it is held (withdrawn from the thread) until a moderator decides.
 */
export async function reportComment(props: {
  deps: Deps;
  actor: Actor;
  commentId: string;
  reason: ReportReason;
  note?: string;
}): Promise<{ held: boolean }> {
  const { deps, actor } = props;
  const comment = await findComment(deps.store.db, props.commentId);
  if (!comment || comment.status !== "published") throw notFound("Comment");
  if (comment.author_id === actor.user.id) throw forbidden("You cannot report your own comment.");
  const settings = await moderationSettings(deps, comment.site_id);
  const now = deps.clock.now();
  if (settings.rateLimits.enabled && settings.rateLimits.reportsPerHour > 0) {
    const hit = await deps.limiter.hit(
      `report:user:${actor.user.id}`,
      settings.rateLimits.reportsPerHour,
      3600_000,
      now,
    );
    if (!hit.allowed) throw rateLimited(hit.retryAfterMs / 1000, "You have sent many reports; try again later.");
  }
  try {
    return await withEvents(deps, async (trx, emit) => {
      await trx
        .insertInto("reports")
        .values({
          id: deps.ids.next(),
          comment_id: comment.id,
          reporter_id: actor.user.id,
          reason: props.reason,
          note: props.note === undefined ? null : normaliseText(props.note).trim() || null,
          created_at: now,
          resolved_at: null,
        })
        .execute();
      const updated = await trx
        .updateTable("comments")
        .set((eb) => ({ open_reports: eb("open_reports", "+", 1), priority: eb("priority", "+", REPORT_PRIORITY) }))
        .where("id", "=", comment.id)
        .returning(["open_reports", "status"])
        .executeTakeFirstOrThrow();
      const held = updated.status === "published" && updated.open_reports >= settings.reportThreshold;
      if (held) {
        const reasons = [
          ...(JSON.parse(comment.reasons ?? "[]") as unknown[]),
          { phase: "reports", code: "REPORTED", message: `Reported by ${updated.open_reports} readers.` },
        ];
        await moveStatus(trx, comment, "pending", { reasons: JSON.stringify(reasons) });
      }
      await emit(trx, { type: "comment.reported", comment, report: { reason: props.reason, held } });
      return { held };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(ErrorCodes.ALREADY_REPORTED, "You have already reported this comment.");
    throw error;
  }
}
