import { type Static, Type } from "typebox";

/** A reader's rating of a context note. */
export const NoteRatingSchema = Type.Union([
  Type.Literal("helpful"),
  Type.Literal("somewhat_helpful"),
  Type.Literal("not_helpful"),
]);
const Status = Type.Union([Type.Literal("needs_ratings"), Type.Literal("helpful"), Type.Literal("not_helpful")]);

/** A reader context note on an article (GET /api/v1/stories/:id/notes). */
export const NoteSchema = Type.Object({
  id: Type.String(),
  storyId: Type.String(),
  body: Type.String(),
  quote: Type.Optional(Type.Object({ text: Type.String() })),
  sources: Type.Array(Type.String()),
  status: Status,
  createdAt: Type.String({ format: "date-time" }),
  viewerRating: Type.Optional(NoteRatingSchema),
  moderation: Type.Optional(
    Type.Union([Type.Literal("published"), Type.Literal("pending"), Type.Literal("rejected")], {
      description: "Only to the author and moderators: the moderation pipeline's verdict.",
    }),
  ),
});

export type ContextNote = Static<typeof NoteSchema>;
export type NoteRating = Static<typeof NoteRatingSchema>;
