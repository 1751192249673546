import { encodeSignature, minhash, textHash } from "../minhash.js";
import type { Verdict } from "../verdict.js";
import { duplicates } from "./duplicates.js";
import { links } from "./links.js";
import { commentingPolicy } from "./policy.js";
import { preModeration } from "./premod.js";
import { rateLimits } from "./rate.js";
import { scores } from "./scores.js";
import { authorStanding, storyOpen } from "./standing.js";
import { text } from "./text.js";
import type { Phase, Submission } from "./types.js";
import { externalWebhook } from "./webhook.js";
import { words } from "./words.js";

export type { Phase, Submission } from "./types.js";

/**
 * The submit pipeline, in order. A phase that throws refuses the comment with its coded
 * error; any phase that holds sends it to the moderators' queue; otherwise it publishes.
 */
export const PHASES: Phase[] = [
  storyOpen,
  commentingPolicy,
  authorStanding,
  text,
  rateLimits,
  duplicates,
  words,
  links,
  scores,
  preModeration,
  externalWebhook,
];

export async function moderate(submission: Submission, phases: Phase[] = PHASES): Promise<Verdict> {
  const verdict = {
    status: "published" as Verdict["status"],
    reasons: [] as Verdict["reasons"],
    scores: {} as Verdict["scores"],
  };
  let current = submission;
  for (const phase of phases) {
    const partial = await phase(current);
    if (!partial) continue;
    if (partial.body !== undefined) current = { ...current, body: partial.body };
    if (partial.swearing) current = { ...current, swearing: true };
    if (partial.hold) verdict.status = "pending";
    if (partial.reasons) verdict.reasons.push(...partial.reasons);
    if (partial.scores) Object.assign(verdict.scores, partial.scores);
  }
  const top = Math.max(0, ...Object.values(verdict.scores));
  return {
    ...verdict,
    body: current.body,
    priority: verdict.status === "pending" ? Math.round(top * 1000) : 0,
    textHash: textHash(current.body),
    minhash: encodeSignature(minhash(current.body)),
  };
}
