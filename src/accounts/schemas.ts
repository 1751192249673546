import { type Static, Type } from "typebox";
import { SelfSchema, UserSchema } from "../http/schemas.js";

export const SessionResponse = Type.Object({ user: UserSchema, token: Type.String() });

export const MeUserSchema = Type.Intersect([SelfSchema, Type.Object({ emailVerified: Type.Boolean() })]);

export const AbilitiesSchema = Type.Object(
  {
    comment: Type.Boolean(),
    moderate: Type.Array(Type.String(), { description: "Ids of the sites whose queues the caller moderates." }),
    administer: Type.Array(Type.String(), { description: "Ids of the sites whose settings the caller changes." }),
    feature: Type.Array(Type.String(), { description: "Ids of the sites whose comments the caller features (editors' picks)." }),
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

const DateTime = Type.String({ format: "date-time" });
const MaybeDateTime = Type.Union([DateTime, Type.Null()]);

export const ExportQuoteSchema = Type.Object(
  {
    source: Type.String(),
    commentId: Type.Optional(Type.String()),
    text: Type.String(),
    label: Type.Optional(Type.String()),
    href: Type.Optional(Type.String()),
  },
  { description: "What the comment quoted, with the attribution shown with it." },
);
export type ExportQuote = Static<typeof ExportQuoteSchema>;

/** `GET /api/v1/me/export`: everything Parley holds about the caller, as `exportAccount` writes it. */
export const AccountExportSchema = Type.Object({
  exportedAt: DateTime,
  profile: Type.Intersect([
    MeUserSchema,
    Type.Object({
      siteRoles: Type.Array(Type.Object({ site_id: Type.String(), role: Type.String() })),
      identities: Type.Array(
        Type.Object(
          { provider: Type.String(), subject: Type.String(), created_at: MaybeDateTime },
          { description: "Accounts at sign-in providers linked to this one." },
        ),
      ),
    }),
  ]),
  comments: Type.Array(
    Type.Object({
      id: Type.String(),
      siteId: Type.String(),
      storyId: Type.String(),
      storyUrl: Type.String(),
      parentId: Type.Union([Type.String(), Type.Null()]),
      body: Type.String(),
      bodyHtml: Type.String(),
      quote: Type.Union([ExportQuoteSchema, Type.Null()]),
      status: Type.String(),
      createdAt: MaybeDateTime,
      editedAt: MaybeDateTime,
      revisions: Type.Array(Type.Object({ body: Type.String(), createdAt: MaybeDateTime })),
    }),
  ),
  reactions: Type.Array(Type.Object({ commentId: Type.String(), kind: Type.String(), createdAt: MaybeDateTime })),
  reports: Type.Array(
    Type.Object({
      commentId: Type.String(),
      reason: Type.String(),
      note: Type.Union([Type.String(), Type.Null()]),
      createdAt: MaybeDateTime,
      resolvedAt: MaybeDateTime,
    }),
  ),
  sessions: Type.Array(Type.Omit(SessionInfoSchema, ["current"])),
  decisions: Type.Array(
    Type.Object({
      id: Type.String(),
      commentId: Type.String(),
      action: Type.String(),
      ground: Type.String(),
      law: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
      explanation: Type.String(),
      automated: Type.Boolean(),
      decidedAt: MaybeDateTime,
      appealUntil: MaybeDateTime,
      appeal: Type.Union([
        Type.Object({
          status: Type.String(),
          explanation: Type.String(),
          note: Type.Union([Type.String(), Type.Null()]),
          createdAt: MaybeDateTime,
          decidedAt: MaybeDateTime,
        }),
        Type.Null(),
      ]),
    }),
    { description: "The statements of reasons for the caller's rejected or removed comments (EU DSA Art. 17), with any appeal." },
  ),
  notices: Type.Array(
    Type.Object({
      commentId: Type.String(),
      law: Type.String(),
      explanation: Type.String(),
      email: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
      createdAt: MaybeDateTime,
      decidedAt: MaybeDateTime,
    }),
    { description: "Notices of illegal content the caller sent while signed in." },
  ),
});
