/**
 * What a story's policy means for one reader now: the widget and the server-rendered thread
 * both say it in sentences (src/shared/messages), from the same decision.
 */
import type { Story } from "./thread.js";

export type CommentGate =
  /** No new comments: `closedAt` when the schedule closed it, null when the newsroom did. */
  | { kind: "closed"; closedAt: string | null }
  /** Only subscribers may comment; the reader is not one (or has not signed in). */
  | { kind: "subscribers"; subscribeUrl: string | null }
  /** The reader may comment (after signing in); `registered` asks a local account to confirm its address. */
  | { kind: "open"; closesAt: string | null; premodNow: boolean; registered: boolean };

export function commentGate(story: Story, entitlements: readonly string[] | null, now: number): CommentGate {
  const policy = story.policy;
  if (story.status !== "open") return { kind: "closed", closedAt: null };
  if (policy?.closesAt && now >= Date.parse(policy.closesAt)) return { kind: "closed", closedAt: policy.closesAt };
  if (policy?.commenting === "subscribers" && !(entitlements ?? []).includes("subscriber")) {
    return { kind: "subscribers", subscribeUrl: policy.subscribeUrl };
  }
  return {
    kind: "open",
    closesAt: policy?.closesAt ?? null,
    premodNow: policy?.premodNow ?? false,
    registered: policy?.commenting === "registered",
  };
}
