import { type TSchema, Type } from "typebox";

/**
 * The API's shapes as TypeBox schemas: the single source of the response schemas the server
 * checks its answers against and of the types the front ends use (`Static<>`, type imports
 * only, so no schema code reaches a bundle). Imports nothing from the server or the front ends.
 */

export const UserSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  avatarUrl: Type.String(),
  role: Type.Union([
    Type.Literal("commenter"),
    Type.Literal("staff"),
    Type.Literal("moderator"),
    Type.Literal("admin"),
  ]),
  badges: Type.Array(Type.String()),
  createdAt: Type.String({ format: "date-time" }),
});

export const SelfSchema = Type.Intersect([
  UserSchema,
  Type.Object({
    email: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
    entitlements: Type.Optional(
      Type.Array(Type.String(), { description: 'From the last sign-in\'s entitlement claim, e.g. ["subscriber"].' }),
    ),
  }),
]);

export const QuoteSchema = Type.Object({
  source: Type.Union([Type.Literal("story"), Type.Literal("comment")]),
  commentId: Type.Optional(Type.String({ maxLength: 64 })),
  text: Type.String({ maxLength: 4000 }),
});

const commentFields = {
  id: Type.String(),
  storyId: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  depth: Type.Integer(),
  author: UserSchema,
  bodyHtml: Type.String(),
  body: Type.Optional(Type.String({ description: "The Markdown source: only for its author and moderators." })),
  quote: Type.Optional(QuoteSchema),
  status: Type.Union([
    Type.Literal("published"),
    Type.Literal("pending"),
    Type.Literal("rejected"),
    Type.Literal("removed"),
  ]),
  createdAt: Type.String({ format: "date-time" }),
  editedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  reactions: Type.Record(Type.String(), Type.Integer()),
  viewerReactions: Type.Array(Type.String()),
  replyCount: Type.Integer(),
  helpfulBadge: Type.Boolean({ description: "Readers who usually disagree agree this comment is helpful." }),
  featured: Type.Optional(Type.Boolean({ description: "An editor's pick: shown in the Picks strip above the thread." })),
  answered: Type.Optional(Type.Boolean({ description: "A question of a Q&A story that the newsroom answered." })),
};

export const ReplySchema = Type.Object(commentFields);
export const CommentSchema = Type.Object({
  ...commentFields,
  replies: Type.Optional(
    Type.Object({ items: Type.Array(ReplySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

/** A comment or a reply as a reader posts it (POST /api/v1/stories/:id/comments). */
export const NewCommentSchema = Type.Object({
  body: Type.String({ maxLength: 100_000 }),
  parentId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  quote: Type.Optional(QuoteSchema),
  confirm: Type.Optional(Type.Boolean({ description: "Post anyway after a NEEDS_CONFIRMATION nudge." })),
});

/** A reader's rating of someone else's comment (PUT /api/v1/comments/:id/rating). */
export const CommentRatingSchema = Type.Union([Type.Literal("helpful"), Type.Literal("not_helpful")]);

export const page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** A public correction on a story: the newsroom accepted a reader's suggestion (the newsroom loop). */
export const StoryCorrectionSchema = Type.Object({
  id: Type.String(),
  note: Type.String(),
  quote: Type.Optional(Type.Object({ text: Type.String() })),
  acceptedAt: Type.String({ format: "date-time" }),
});
const Commenting = Type.Union([Type.Literal("everyone"), Type.Literal("registered"), Type.Literal("subscribers")]);

export const StorySchema = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  url: Type.String(),
  title: Type.String(),
  author: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  status: Type.Union([Type.Literal("open"), Type.Literal("closed"), Type.Literal("archived")]),
  commentCount: Type.Integer(),
  section: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "The newsroom section, lower case." })),
  settings: Type.Object({
    premod: Type.Boolean(),
    closeAfterDays: Type.Optional(
      Type.Union([Type.Integer(), Type.Null()], { description: "The story's own; null: its section's or site's." }),
    ),
    commenting: Type.Optional(Type.Union([Commenting, Type.Null()], { description: "The story's own; null: its section's or site's." })),
  }),
  mode: Type.Optional(
    Type.Union([Type.Literal("comments"), Type.Literal("qa")], {
      description: "qa: top-level comments are questions; a reply from the newsroom answers one.",
    }),
  ),
  corrections: Type.Optional(Type.Array(StoryCorrectionSchema, { description: "Accepted corrections, oldest first." })),
  policy: Type.Optional(
    Type.Object(
      {
        commenting: Commenting,
        closesAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
          description: "When new comments stop by the schedule; null: not scheduled.",
        }),
        closed: Type.Boolean({ description: "No new comments: closed by a moderator or past closesAt." }),
        premodNow: Type.Boolean({ description: "New comments are held for review now (section or schedule)." }),
        subscribeUrl: Type.Union([Type.String(), Type.Null()]),
      },
      { description: "The policy in force: the story's own settings over its section's over its site's." },
    ),
  ),
});

/** A JSON object stored as given (an audit entry's before and after): any fields, listed in full. */
export const JsonObject = (description: string) => Type.Object({}, { additionalProperties: true, description });
