import { useEffect, useState } from "preact/hooks";
import type { Bridge } from "../../shared/bridge.js";
import * as api from "../../shared/endpoints.js";
import type { Request } from "../../shared/http.js";
import type { Translate } from "../../shared/messages.js";
import type { Comment, Story } from "../../shared/types.js";
import type { Panel, Rating, ThreadCtx } from "./context.js";
import { addReplies, update } from "./tree.js";

interface Thread {
  root: ShadowRoot;
  bridge: Bridge;
  request: Request;
  t: Translate;
  story: Story;
  viewerId: string | undefined;
  items: { setItems(change: (list: Comment[]) => Comment[]): void; added(c: Comment): void; PAGE: number };
  count(n: number): void;
  setPanel(panel: Panel): void;
  announce(text: string): void;
  loadPicks(): Promise<unknown>;
}

type Actions = Pick<ThreadCtx, "post" | "edit" | "remove" | "react" | "ratings" | "rate" | "resendVerification" | "feature" | "report" | "moreReplies">;

/** What a reader does to comments: post, edit, remove, react, rate, feature, report, and open more replies. */
export function useCommentActions({ root, bridge, request, t, story, viewerId, items, count, setPanel, announce, loadPicks }: Thread): Actions {
  const { setItems } = items;
  const [ratings, setRatings] = useState<Record<string, Rating>>({});
  // Ratings belong to the reader who gave them; another reader starts from none.
  useEffect(() => setRatings({}), [viewerId]);
  return {
    async post(input, key) {
      const { comment } = await api.postComment(request, story.id, input, key);
      items.added(comment);
      if (comment.status === "published") count(1);
      announce(comment.status === "pending" ? t("pending") : t("comments", { n: story.commentCount + 1 }));
      bridge.emit("comment.posted", { id: comment.id, status: comment.status });
      setTimeout(() => root.getElementById(`comment-${comment.id}`)?.querySelector<HTMLElement>(".p-comment")?.focus(), 30);
      return comment;
    },
    async edit(id, body) {
      const { comment } = await api.editComment(request, id, body);
      setItems((list) => update(list, id, (c) => ({ ...comment, replies: c.replies })));
    },
    async remove(id) {
      await api.deleteComment(request, id);
      setItems((list) => update(list, id, (c) => ({ ...c, status: "removed", bodyHtml: "", body: undefined })));
      setPanel(null);
      announce(t("removed"));
    },
    async react(comment, kind) {
      const state = await api.react(request, comment.id, kind, !comment.viewerReactions.includes(kind));
      setItems((list) => update(list, comment.id, (c) => ({ ...c, ...state })));
    },
    ratings,
    async rate(comment, value) {
      // Pressing the rating already given takes it back.
      const again = ratings[comment.id] === value;
      await api.rateComment(request, comment.id, again ? null : value);
      setRatings((all) => {
        const next = { ...all };
        if (again) delete next[comment.id];
        else next[comment.id] = value;
        return next;
      });
    },
    resendVerification: () => api.askVerification(request),
    async feature(comment, on) {
      const { comment: changed } = await api.feature(request, comment.id, on);
      setItems((list) => update(list, comment.id, (c) => ({ ...c, featured: changed.featured })));
      await loadPicks();
      announce(t(on ? "featuredDone" : "unfeaturedDone"));
    },
    async report(id, reason, note) {
      await api.report(request, id, reason, note.trim());
      announce(t("reported"));
    },
    async moreReplies(comment) {
      const page = await api.replies(request, comment.id, items.PAGE, comment.replies?.nextCursor);
      setItems((list) => update(list, comment.id, (c) => addReplies(c, page)));
    },
  };
}
