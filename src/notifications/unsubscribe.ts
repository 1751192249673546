import { createHmac, timingSafeEqual } from "node:crypto";
import type { Deps } from "../deps.js";
import { writePrefs } from "./prefs.js";
import { leaveDigest, userExists } from "./store.js";

export const TOPICS = ["replies", "mentions", "moderation", "digest"] as const;
export type Topic = (typeof TOPICS)[number];

const mac = (secret: string, userId: string, topic: string) =>
  createHmac("sha256", secret).update(`unsubscribe\n${userId}\n${topic}`).digest("base64url").slice(0, 32);

/**
 * A token that unsubscribes one reader from one kind of e-mail without a sign-in. It does
 * not expire (an old mail's link must still work) and can do nothing else.
 */
export function unsubscribeToken(secret: string, userId: string, topic: Topic): string {
  return `${userId}.${topic}.${mac(secret, userId, topic)}`;
}

export function readUnsubscribeToken(secret: string, token: string): { userId: string; topic: Topic } | null {
  const [userId, topic, given, extra] = token.split(".");
  if (!userId || !topic || !given || extra !== undefined || !(TOPICS as readonly string[]).includes(topic)) return null;
  const expected = Buffer.from(mac(secret, userId, topic));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  return { userId, topic: topic as Topic };
}

export const unsubscribeUrl = (deps: Deps, userId: string, topic: Topic) =>
  `${deps.config.publicUrl}/api/v1/notifications/unsubscribe?token=${encodeURIComponent(unsubscribeToken(deps.config.secret, userId, topic))}`;

/** Turns the topic's e-mails off; for the digest, also takes waiting items out of it. */
export async function unsubscribe(deps: Deps, userId: string, topic: Topic): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    if (!(await userExists(trx, userId))) return;
    if (topic === "replies") await writePrefs(trx, deps, userId, { replies: "off" });
    if (topic === "mentions") await writePrefs(trx, deps, userId, { mentions: "off" });
    if (topic === "moderation") await writePrefs(trx, deps, userId, { moderation: false });
    if (topic === "digest") {
      const prefs = await writePrefs(trx, deps, userId, {});
      await writePrefs(trx, deps, userId, {
        replies: prefs.replies === "digest" ? "off" : prefs.replies,
        mentions: prefs.mentions === "digest" ? "off" : prefs.mentions,
      });
      await leaveDigest(trx, userId);
    }
  });
}
