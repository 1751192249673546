import { type Static, Type } from "typebox";
import { CommentSchema, JsonObject, SelfSchema, StorySchema, UserSchema, page } from "./schemas.js";

/**
 * What the moderation API answers: the response schemas of its routes and, through `Static<>`,
 * the types the moderator's desk reads (web/admin/types.ts imports them as types only).
 */

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: "date-time" });

export const SpanSchema = Type.Object({
  category: Type.String(),
  start: Type.Integer(),
  end: Type.Integer(),
  weight: Type.Number(),
});

export const ReasonSchema = Type.Object(
  {
    phase: Type.String(),
    code: Type.String(),
    message: Type.Optional(Type.String()),
    score: Type.Optional(Type.Number()),
    spans: Type.Optional(Type.Array(SpanSchema)),
    details: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: "What the desk links to, e.g. the original of a copy.",
      }),
    ),
  },
  { description: "Why a moderation phase held a comment." },
);

export const AuthorSummarySchema = Type.Object({
  user: Type.Intersect([
    UserSchema,
    Type.Object({
      status: Type.Union([Type.Literal("active"), Type.Literal("suspended"), Type.Literal("banned")]),
      suspendedUntil: nullable(DateTime),
      premod: Type.Boolean(),
      entitlements: Type.Optional(
        Type.Array(Type.String(), { description: 'The reader\'s tier from their last sign-in, e.g. ["subscriber"].' }),
      ),
    }),
  ]),
  accountAgeDays: Type.Integer(),
  counts: Type.Object({ published: Type.Integer(), pending: Type.Integer(), rejected: Type.Integer() }),
  actions: Type.Integer({ description: "Moderator actions taken on the account." }),
});

export const BridgingSchema = Type.Object(
  {
    rank: Type.Number({ description: "The lower bound sort=best orders by." }),
    intercept: nullable(Type.Number()),
    factor: nullable(Type.Number()),
    ratings: Type.Integer(),
    badge: Type.Boolean(),
  },
  { description: "The bridging model's scores, for moderators only." },
);

export const QueueItemSchema = Type.Object({
  comment: CommentSchema,
  story: nullable(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      url: Type.String(),
      status: Type.String(),
      section: Type.Optional(nullable(Type.String())),
    }),
  ),
  parent: nullable(CommentSchema),
  reasons: Type.Array(ReasonSchema),
  scores: Type.Record(Type.String(), Type.Number()),
  reports: Type.Array(
    Type.Object({
      reason: Type.String(),
      note: nullable(Type.String()),
      createdAt: DateTime,
      reporter: Type.Object({ id: Type.String(), displayName: Type.String() }),
    }),
  ),
  notices: Type.Array(
    Type.Object({
      law: Type.String({ description: "The law the notifier says the comment breaks." }),
      explanation: Type.String({ description: "Why, in the notifier's words." }),
      receivedAt: DateTime,
      notifier: nullable(Type.String({ description: "A signed-in notifier's name; null: sent without an account." })),
      answered: Type.Boolean({ description: "The notifier left an address: they get the decision by e-mail." }),
    }),
    { description: "Open notices of illegal content (EU DSA Art. 16): they put the comment first in the Reported queue." },
  ),
  author: nullable(AuthorSummarySchema),
  bridging: nullable(BridgingSchema),
});

export const AuditActionSchema = Type.Object({
  id: Type.String(),
  siteId: nullable(Type.String()),
  actorId: nullable(Type.String()),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.String(),
  reason: nullable(
    Type.Object({ code: nullable(Type.String()), label: nullable(Type.String()), text: nullable(Type.String()) }),
  ),
  before: nullable(JsonObject("The target's fields before the action, as recorded.")),
  after: nullable(JsonObject("The target's fields after the action, as recorded.")),
  createdAt: DateTime,
  actor: nullable(
    Type.Object({ id: Type.String(), displayName: Type.String() }, { description: "Who acted (null: Parley itself)." }),
  ),
  summary: Type.String({ description: "The entry as a sentence, with names and titles." }),
  href: nullable(Type.String({ description: "The comment in its thread, or the story, where there is one." })),
});

export const NoteSchema = Type.Object({
  id: Type.String(),
  body: Type.String(),
  authorId: Type.String(),
  siteId: nullable(Type.String()),
  createdAt: DateTime,
});

export const HistorySchema = Type.Object({
  author: AuthorSummarySchema,
  comments: page(Type.Object({ comment: CommentSchema, reasons: Type.Array(ReasonSchema) })),
  actions: Type.Array(AuditActionSchema),
  notes: Type.Array(NoteSchema),
  onStory: nullable(
    Type.Object(
      { id: Type.String(), title: Type.String(), published: Type.Integer(), pending: Type.Integer() },
      { description: "With storyId: the author's published and held comments on that story." },
    ),
  ),
});

const Count = Type.Integer({ minimum: 0 });
const ByStatus = Type.Object({ published: Count, pending: Count, rejected: Count, removed: Count });
export const StatsSchema = Type.Object({
  range: Type.Union([Type.Literal("day"), Type.Literal("week")]),
  siteId: Type.Union([Type.String(), Type.Null()]),
  since: Type.String({ format: "date-time" }),
  until: Type.String({ format: "date-time" }),
  perHour: Type.Array(Type.Object({ at: Type.String({ format: "date-time" }), ...ByStatus.properties })),
  shares: ByStatus,
  total: Count,
  topHoldReasons: Type.Array(Type.Object({ code: Type.String(), phase: Type.String(), count: Count })),
  reasonsSampled: Type.Boolean(),
  busiestStories: Type.Array(
    Type.Object({ id: Type.String(), title: Type.String(), url: Type.String(), comments: Count, pending: Count }),
  ),
  bySection: Type.Optional(
    Type.Array(
      Type.Object({
        section: Type.Union([Type.String(), Type.Null()], { description: "null: stories without a section." }),
        comments: Count,
        published: Count,
        pending: Count,
        rejected: Count,
      }),
      { description: "The range's comments split by their story's section, busiest first." },
    ),
  ),
  queue: Type.Object({
    pending: Count,
    oldestAt: Type.Union([Type.String(), Type.Null()]),
    oldestAgeHours: Type.Union([Type.Number(), Type.Null()]),
    oldestAgeMinutes: Type.Union([Type.Integer(), Type.Null()], { description: "How long the oldest pending comment has waited." }),
    ages: Type.Array(Type.Object({ label: Type.String(), count: Count })),
  }),
  moderators: Type.Array(
    Type.Object({
      moderatorId: Type.String(),
      name: Type.String(),
      decisions: Count,
      approved: Count,
      rejected: Count,
      medianSeconds: Type.Union([Type.Integer(), Type.Null()], { description: "Median time from the comment's writing to the decision." }),
      p90Seconds: Type.Union([Type.Integer(), Type.Null()]),
    }),
    { description: "Each moderator's decisions in the range, most first." },
  ),
  backlog: Type.Object({
    alertMinutes: Type.Union([Type.Integer(), Type.Null()], { description: "moderation.backlogAlertMinutes; null: no alert." }),
    raisedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], { description: "When the alert went out; null: armed." }),
  }),
});

export const MyDaySchema = Type.Object({
  since: Type.String({ format: "date-time" }),
  approved: Count,
  rejected: Count,
  waitingLongest: Type.Array(
    Type.Object({
      commentId: Type.String(),
      storyId: Type.String(),
      storyTitle: Type.String(),
      authorName: Type.String(),
      excerpt: Type.String(),
      waitingSince: Type.String({ format: "date-time" }),
    }),
  ),
});

export const QueueCountsSchema = Type.Object({ pending: Count, reported: Count, rejected: Count });

export const DeskSessionSchema = Type.Object({
  user: SelfSchema,
  csrfToken: Type.String(),
  desk: Type.Object(
    {
      sites: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), administer: Type.Boolean() }), {
        description: "The sites whose queues the moderator works on.",
      }),
      everySite: Type.Boolean({
        description: "A moderator of every site: may suspend, warn and pre-moderate accounts.",
      }),
      manageSites: Type.Boolean(),
      newsroomOnly: Type.Boolean({ description: "Staff who moderate nowhere: the desk shows the Corrections queue only." }),
    },
    { description: "What the desk shows, computed from the same rules the handlers check." },
  ),
});

/** A story in the desk's list, with what waits for moderators in it. */
export const ListedStorySchema = Type.Object({
  ...StorySchema.properties,
  pending: Type.Integer({ description: "Comments held for review." }),
  reported: Type.Integer({ description: "Comments with open reports." }),
});

export type Span = Static<typeof SpanSchema>;
export type Reason = Static<typeof ReasonSchema>;
export type AuthorSummary = Static<typeof AuthorSummarySchema>;
export type Bridging = Static<typeof BridgingSchema>;
export type QueueItem = Static<typeof QueueItemSchema>;
export type AuditAction = Static<typeof AuditActionSchema>;
export type Note = Static<typeof NoteSchema>;
export type History = Static<typeof HistorySchema>;
export type Stats = Static<typeof StatsSchema>;
export type MyDay = Static<typeof MyDaySchema>;
export type QueueCounts = Static<typeof QueueCountsSchema>;
export type DeskSession = Static<typeof DeskSessionSchema>;
export type DeskAbilities = DeskSession["desk"];
export type ListedStory = Static<typeof ListedStorySchema>;

/** What a moderator does to an account (POST /api/v1/moderation/users/:id/actions). */
export const USER_ACTIONS = ["ban", "suspend", "warn", "premod", "clear"] as const;
export type UserAction = (typeof USER_ACTIONS)[number];
