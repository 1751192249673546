import { AppError, conflict } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import { siteBan } from "./store.js";
import type { Phase } from "./types.js";

/** A closed or archived story takes no new comments. */
export const storyOpen: Phase = ({ story }) => {
  if (story.status !== "open") {
    throw conflict(ErrorCodes.STORY_CLOSED, "Commenting is closed on this story.", { status: story.status });
  }
};

/** Banned and suspended authors cannot post; a warned one must acknowledge the warning first. */
export const authorStanding: Phase = async ({ deps, actor, story, now }) => {
  const user = actor.user;
  const banned = (reason: string) => new AppError(403, ErrorCodes.USER_BANNED, reason);
  if (user.status === "banned") throw banned("Your account is banned from commenting.");
  const [ban] = (await siteBan(deps.store.read, user.id, story.site_id)).rows;
  if (ban) throw banned("Your account is banned from commenting on this site.");
  if (user.status === "suspended" && (user.suspended_until ?? 0) > now) {
    const until = new Date(user.suspended_until ?? 0).toISOString();
    throw new AppError(403, ErrorCodes.USER_SUSPENDED, `Your account is suspended until ${until}.`, { until });
  }
  if (user.warning) {
    throw new AppError(
      403,
      ErrorCodes.WARNING_UNACKNOWLEDGED,
      "A moderator has warned you; read and acknowledge the warning before commenting again.",
      {
        warning: user.warning,
      },
    );
  }
};
