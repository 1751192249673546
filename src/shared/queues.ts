/** The moderation queues: held for review, reported by readers, rejected, and every comment. */
export const QUEUES = ["pending", "reported", "rejected", "all"] as const;
export type Queue = (typeof QUEUES)[number];
