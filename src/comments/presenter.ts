import type { Actor } from "../accounts/actor.js";
import { can, commentSubject } from "../accounts/policies.js";
import { type PublicUser, presentUser } from "../accounts/presenter.js";
import type { Config } from "../config.js";
import type { CommentRow, UserRow } from "../store/schema.js";

export interface Quote {
  source: "story" | "comment";
  commentId?: string;
  text: string;
}

/** The quote as stored: what the reader quoted, and the attribution rendered with it. */
export interface StoredQuote extends Quote {
  label: string;
  href: string;
}

export interface PresentedComment {
  id: string;
  storyId: string;
  parentId: string | null;
  depth: number;
  author: PublicUser;
  bodyHtml: string;
  body?: string;
  quote?: Quote;
  status: CommentRow["status"];
  createdAt: string;
  editedAt: string | null;
  reactions: Record<string, number>;
  viewerReactions: string[];
  replyCount: number;
  /** Readers who usually disagree agree this comment is helpful (the bridging badge). */
  helpfulBadge: boolean;
  /** An editor's pick (staff or moderators featured it). */
  featured: boolean;
  /** A question of a Q&A story that the newsroom answered; absent otherwise. */
  answered?: true;
  replies?: { items: PresentedComment[]; nextCursor: string | null };
}

const DELETED_AUTHOR: Pick<UserRow, "id" | "display_name" | "role" | "created_at"> = {
  id: "deleted",
  display_name: "Deleted user",
  role: "commenter",
  created_at: 0,
};

export interface PresentContext {
  config: Config;
  viewer: Actor | null;
  authors: Map<string, UserRow>;
  viewerReactions: Map<string, string[]>;
}

/** A comment as the viewer may see it: the source only for its author and moderators. */
export function presentComment(ctx: PresentContext, row: CommentRow): PresentedComment {
  const removed = row.status === "removed";
  const mayReadSource = !removed && can(ctx.viewer, "readSource", commentSubject(row));
  const quote = row.quote && !removed ? (JSON.parse(row.quote) as StoredQuote) : undefined;
  return {
    id: row.id,
    storyId: row.story_id,
    parentId: row.parent_id,
    depth: row.depth,
    author: presentUser(ctx.config, removed ? DELETED_AUTHOR : (ctx.authors.get(row.author_id) ?? DELETED_AUTHOR)),
    bodyHtml: removed ? "" : row.body_html,
    ...(mayReadSource ? { body: row.body } : {}),
    ...(quote
      ? {
          quote: { source: quote.source, ...(quote.commentId ? { commentId: quote.commentId } : {}), text: quote.text },
        }
      : {}),
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    editedAt: row.edited_at === null ? null : new Date(row.edited_at).toISOString(),
    reactions: removed ? {} : (JSON.parse(row.reactions) as Record<string, number>),
    viewerReactions: ctx.viewerReactions.get(row.id) ?? [],
    replyCount: row.reply_count,
    helpfulBadge: !removed && row.bridge_badge === 1,
    featured: row.status === "published" && row.featured_at > 0,
    ...(row.answered_at > 0 ? { answered: true as const } : {}),
  };
}
