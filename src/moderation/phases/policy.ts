import type { AccountUserRow } from "../../store/schema.js";
import { isSubscriber } from "../../accounts/entitlements.js";
import { AppError } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import { storyPolicy } from "../../policy/resolve.js";
import type { Phase } from "./types.js";

const longDate = (at: number) =>
  new Date(at).toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }) + " UTC";

/**
 * The newsroom's policy for the story: closed after its days (403 STORY_CLOSED), and who may
 * comment (403 REGISTERED_ONLY, SUBSCRIBERS_ONLY). A story closed by hand is `storyOpen`'s.
 */
export const commentingPolicy: Phase = ({ actor, story, settings, now }) => {
  const policy = storyPolicy(settings, story, now);
  if (story.status === "open" && policy.closed && policy.closesAt !== null) {
    throw new AppError(403, ErrorCodes.STORY_CLOSED, `Comments on this story closed on ${longDate(policy.closesAt)}.`, {
      closedAt: new Date(policy.closesAt).toISOString(),
    });
  }
  const user = actor.user as typeof actor.user & Partial<AccountUserRow>;
  if (policy.commenting === "subscribers" && !isSubscriber(user)) {
    throw new AppError(403, ErrorCodes.SUBSCRIBERS_ONLY, "Only subscribers can comment on this story.", {
      ...(policy.subscribeUrl ? { subscribeUrl: policy.subscribeUrl } : {}),
    });
  }
  // Registered: the publisher knows the reader (their sign-in) or the reader confirmed an address.
  if (policy.commenting === "registered" && user.password_hash && !user.email_verified_at) {
    throw new AppError(403, ErrorCodes.REGISTERED_ONLY, "Confirm your e-mail address, or sign in with the publisher's account, to comment on this story.");
  }
};
