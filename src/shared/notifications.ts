import { type Static, Type } from "typebox";

const Kind = Type.Union([
  Type.Literal("reply"),
  Type.Literal("quote"),
  Type.Literal("story.comment"),
  Type.Literal("comment.published"),
  Type.Literal("comment.rejected"),
  Type.Literal("staff"),
  Type.Literal("featured"),
  Type.Literal("correction"),
  Type.Literal("appeal.decided"),
]);

/** One of a reader's notifications (GET /api/v1/me/notifications). */
export const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Kind,
  storyId: Type.Union([Type.String(), Type.Null()]),
  commentId: Type.Union([Type.String(), Type.Null()]),
  storyTitle: Type.Union([Type.String(), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()]),
  excerpt: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  reasonCode: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  decisionId: Type.Union([Type.String(), Type.Null()], {
    description: "A rejection's statement of reasons (GET /api/v1/me/decisions), to appeal it.",
  }),
  appealUntil: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  read: Type.Boolean(),
});
export const NotificationPageSchema = Type.Object({
  items: Type.Array(NotificationSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  unread: Type.Integer(),
});
export const UnreadSchema = Type.Object({ unread: Type.Integer() });
export const FollowSchema = Type.Object({
  following: Type.Boolean(),
  mode: Type.Union([Type.Literal("inapp"), Type.Literal("digest"), Type.Null()]),
});

export { EVENT_TYPES, type EventType } from "./webhook-events.js";

/** A publisher's webhook endpoint, its secrets shown by their last four characters. */
export const WebhookSchema = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  secrets: Type.Array(
    Type.Object({
      id: Type.String(),
      createdAt: Type.String(),
      hint: Type.String({ description: "The last four characters" }),
    }),
  ),
});
export const WebhookSecretSchema = Type.Object({
  id: Type.String(),
  secret: Type.String({ description: "Shown once" }),
  createdAt: Type.String(),
});
export const DeliverySchema = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  attempt: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
  createdAt: Type.String(),
});

export type Notification = Static<typeof NotificationSchema>;
export type NotificationPage = Static<typeof NotificationPageSchema>;
export type Follow = Static<typeof FollowSchema>;
export type Webhook = Static<typeof WebhookSchema>;
export type WebhookSecret = Static<typeof WebhookSecretSchema>;
export type Delivery = Static<typeof DeliverySchema>;
