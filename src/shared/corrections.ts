import { type Static, Type } from "typebox";
import { StoryCorrectionSchema, UserSchema } from "./schemas.js";

export { StoryCorrectionSchema };

/**
 * Corrections (the newsroom loop): what a reader suggests, what the desk sees of it, and the
 * public correction a story carries once the newsroom accepts one. Imports nothing from either side.
 */

const date = Type.String({ format: "date-time" });

export const CorrectionSchema = Type.Object({
  id: Type.String(),
  storyId: Type.String(),
  status: Type.Union([Type.Literal("open"), Type.Literal("accepted"), Type.Literal("declined")]),
  body: Type.String(),
  quote: Type.Optional(Type.Object({ text: Type.String() })),
  evidenceUrl: Type.Optional(Type.String()),
  note: Type.Optional(Type.String({ description: "The public correction, once accepted." })),
  createdAt: date,
  decidedAt: Type.Optional(date),
});

/** What the desk shows: the reader, their history, the moderation phases' reasons and the passage's group. */
export const DeskCorrectionSchema = Type.Object({
  ...CorrectionSchema.properties,
  storyTitle: Type.String(),
  storyUrl: Type.String(),
  reader: UserSchema,
  readerHistory: Type.Object({
    published: Type.Integer(),
    held: Type.Integer(),
    rejected: Type.Integer(),
    correctionsAccepted: Type.Integer(),
  }),
  held: Type.Boolean({ description: "The moderation phases would have held this text as a comment." }),
  reasons: Type.Array(Type.String()),
  declineReason: Type.Optional(Type.String({ description: "Why it was declined: for the newsroom only." })),
  group: Type.Object({
    key: Type.String({ description: "Suggestions on the same passage of the same story share this key." }),
    size: Type.Integer(),
  }),
});

export type Correction = Static<typeof CorrectionSchema>;
export type DeskCorrection = Static<typeof DeskCorrectionSchema>;
export type StoryCorrection = Static<typeof StoryCorrectionSchema>;
