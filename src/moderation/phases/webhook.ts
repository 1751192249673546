import { createHmac } from "node:crypto";
import { badRequest } from "../../errors.js";
import { askWebhook } from "../../outbound/webhook-target.js";
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

/** The service's JSON answer; parse errors are not passed on (V8 quotes the text, which may echo the comment). */
function verdict(text: string): WebhookAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("the answer is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null) throw new Error("the answer is not a JSON object");
  return parsed as WebhookAnswer;
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
    // Only to a checked public address (unless PARLEY_WEBHOOK_ALLOW_PRIVATE), no redirects:
    // a refused target fails like a service that did not answer.
    const { status, body: text } = await askWebhook(hook.url, {
      headers: {
        "content-type": "application/json",
        "x-parley-signature": signature(hook.secret, Math.floor(now / 1000), payload),
      },
      body: payload,
      timeoutMs: hook.timeoutMs,
      allowPrivate: deps.config.webhookAllowPrivate,
    });
    if (status < 200 || status > 299) throw new Error(`status ${status}`);
    answer = verdict(text);
  } catch (error) {
    // The reason only (never the comment, which is in the payload).
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
