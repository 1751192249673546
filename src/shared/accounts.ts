import { type Static, Type } from "typebox";
import { SelfSchema, UserSchema } from "./schemas.js";

/** A new session: its bearer token and who it is for (sign-up, sign-in, SSO). */
export const SessionResponse = Type.Object({ user: UserSchema, token: Type.String() });

export const MeUserSchema = Type.Intersect([SelfSchema, Type.Object({ emailVerified: Type.Boolean() })]);

export const AbilitiesSchema = Type.Object(
  {
    comment: Type.Boolean(),
    moderate: Type.Array(Type.String(), { description: "Ids of the sites whose queues the caller moderates." }),
    administer: Type.Array(Type.String(), { description: "Ids of the sites whose settings the caller changes." }),
    feature: Type.Array(Type.String(), {
      description: "Ids of the sites whose comments the caller features (editors' picks).",
    }),
    manageSites: Type.Boolean(),
    importComments: Type.Boolean(),
    exportOwnData: Type.Boolean(),
    deleteOwnAccount: Type.Boolean(),
  },
  { description: "Computed from the same rules the handlers check; the front ends never re-derive them." },
);

export const SessionInfoSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
  lastSeenAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  method: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});

export const MeResponse = Type.Object({
  user: MeUserSchema,
  abilities: AbilitiesSchema,
  sessions: Type.Array(SessionInfoSchema),
});

export type SignedIn = Static<typeof SessionResponse>;
export type MeAnswer = Static<typeof MeResponse>;
