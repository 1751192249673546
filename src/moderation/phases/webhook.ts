import { createHmac } from "node:crypto";
import { badRequest } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import type { Phase } from "./types.js";

/** Signs `timestamp.body` with the site's secret: the receiver recomputes and compares. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

interface WebhookAnswer {
  action?: "publish" | "hold" | "reject";
  reason?: string;
}

/**
 * An optional external moderation service: asked with an HMAC-signed request, within a
 * timeout. When it fails, the site chooses: publish as if it had not been asked (fail-open)
 * or hold for a moderator (fail-closed).
 */
export const externalWebhook: Phase = async ({ deps, actor, story, settings, body, parentId, now }) => {
  const hook = settings.webhook;
  if (!hook) return;
  const payload = JSON.stringify({
    comment: { body, parentId, storyId: story.id, storyUrl: story.url, authorId: actor.user.id },
  });
  let answer: WebhookAnswer;
  try {
    const response = await fetch(hook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-parley-signature": signature(hook.secret, Math.floor(now / 1000), payload),
      },
      body: payload,
      signal: AbortSignal.timeout(hook.timeoutMs),
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    answer = (await response.json()) as WebhookAnswer;
  } catch (error) {
    deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, "moderation webhook failed");
    if (hook.failOpen) return;
    return {
      hold: true,
      reasons: [
        { phase: "webhook", code: "WEBHOOK_UNAVAILABLE", message: "The external moderation service did not answer." },
      ],
    };
  }
  if (answer.action === "reject") {
    throw badRequest(
      ErrorCodes.VALIDATION_FAILED,
      answer.reason?.slice(0, 300) || "This comment was not accepted by the site's moderation rules.",
    );
  }
  if (answer.action === "hold") {
    return { hold: true, reasons: [{ phase: "webhook", code: "WEBHOOK_HOLD", message: answer.reason?.slice(0, 300) }] };
  }
};
