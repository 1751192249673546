import { Type } from "typebox";

/** Response and request schemas shared across domains. They are the types and the OpenAPI document. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: "Error", description: "The one error shape of every 4xx and 5xx response." },
);

export { CommentSchema, QuoteSchema, ReplySchema, SelfSchema, StorySchema, UserSchema, page } from "../shared/schemas.js";

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const LimitQuery = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 }));
export const CursorQuery = Type.Optional(Type.String({ maxLength: 400 }));

/** Error responses every route may give, for the OpenAPI document. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));
