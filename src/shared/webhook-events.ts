/**
 * Kept apart from the schemas in notifications.ts, so the desk imports the list without
 * bundling TypeBox.
 */
/** The events publishers subscribe to; each is also what readers' notifications come from. */
export const EVENT_TYPES = [
  "comment.created",
  "comment.published",
  "comment.rejected",
  "comment.deleted",
  "comment.featured",
  "comment.reported",
  "user.banned",
  "story.created",
  "story.corrected",
  "moderation.backlog",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
