import { type Static, Type } from "typebox";

const Iso = Type.String({ format: "date-time" });
/** A reader's appeal against a decision (EU DSA Art. 20). */
export const AppealSchema = Type.Object({
  id: Type.String(),
  decisionId: Type.String(),
  status: Type.Union([Type.Literal("open"), Type.Literal("upheld"), Type.Literal("reversed")]),
  explanation: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Iso,
  decidedAt: Type.Union([Iso, Type.Null()]),
});
/** A statement of reasons (EU DSA Art. 17) for a decision on a reader's comment. */
export const StatementSchema = Type.Object({
  id: Type.String(),
  commentId: Type.String(),
  action: Type.Union([Type.Literal("reject"), Type.Literal("remove")]),
  ground: Type.Union([Type.Literal("illegal"), Type.Literal("terms")]),
  law: Type.Union([Type.String(), Type.Null()], { description: "The law concerned, for the illegal ground." }),
  reason: Type.String({ description: "A decision reason code (offensive, spam, illegal-content, …)." }),
  explanation: Type.String({ description: "The reason in plain language, for the author." }),
  automated: Type.Boolean({ description: "Whether automated means decided or detected it." }),
  decidedAt: Iso,
  appealUntil: Iso,
  appeal: Type.Union([Type.Object({ id: Type.String(), status: Type.String() }), Type.Null()]),
});
/** One item of the desk's appeals queue (GET /api/v1/moderation/appeals). */
export const AppealQueueItemSchema = Type.Object({
  appeal: AppealSchema,
  decision: StatementSchema,
  authorName: Type.String(),
  decidedByName: Type.Union([Type.String(), Type.Null()], { description: "null: automated means decided." }),
  storyTitle: Type.Union([Type.String(), Type.Null()]),
  commentBody: Type.Union([Type.String(), Type.Null()], { description: "null once the comment is gone." }),
  canDecide: Type.Boolean({ description: "false for the moderator who made the decision." }),
});

export type Appeal = Static<typeof AppealSchema>;
export type Statement = Static<typeof StatementSchema>;
export type AppealQueueItem = Static<typeof AppealQueueItemSchema>;
