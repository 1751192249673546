import { type Static, Type } from "typebox";

export { AbilitiesSchema, MeResponse, MeUserSchema, SessionInfoSchema, SessionResponse } from "../shared/accounts.js";
import { MeUserSchema, SessionInfoSchema } from "../shared/accounts.js";

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
