import { readFileSync } from "node:fs";
import { join } from "node:path";
import { postComment } from "../comments/service.js";
import type { Deps } from "../deps.js";
import { DEFAULT_SITE_ID } from "../site/service.js";
import { insertUser } from "../accounts/store.js";
import { anyStory, insertStoryOnce } from "../stories/store.js";
import type { UserRow } from "../store/schema.js";
import { CONTENT_DIR } from "../paths.js";
import { ARTICLES_DIR, parseArticle } from "../articles/content.js";
import { seedNewsroomLoop } from "./newsroom-loop.js";

const demoDir = join(CONTENT_DIR, "demo");
/** The built-in article whose thread the demo seeds (content/articles/<slug>.md). */
export const DEMO_ARTICLE = "riverside-library-reopens";

interface DemoComment {
  n: number;
  author: string;
  parent?: number;
  body: string;
}

/** On a database with no stories, creates the demo article and its thread. */
export async function seedDemo(deps: Deps): Promise<{ storyId: string } | undefined> {
  if (await anyStory(deps.store.db)) return undefined;
  const article = parseArticle(DEMO_ARTICLE, readFileSync(join(ARTICLES_DIR, `${DEMO_ARTICLE}.md`), "utf8"));
  const thread = JSON.parse(readFileSync(join(demoDir, "thread.json"), "utf8")) as { comments: DemoComment[] };
  const start = deps.clock.now() - thread.comments.length * 7 * 60_000;
  const story = await insertStoryOnce(deps.store.db, {
    id: deps.ids.next(),
    site_id: DEFAULT_SITE_ID,
    url: `${deps.config.publicUrl}/articles/${article.slug}`,
    title: article.title,
    author: article.author,
    published_at: article.date ? Date.parse(article.date) : null,
    body_text: article.body,
    status: "open",
    premod: 0,
    comment_count: 0,
    created_at: start,
    updated_at: start,
  });
  const users = new Map<string, UserRow>();
  const ids = new Map<number, string>();
  for (const [i, c] of thread.comments.entries()) {
    let user = users.get(c.author);
    if (!user) {
      user = {
        id: deps.ids.next(),
        email: null,
        password_hash: null,
        display_name: c.author,
        role: "commenter",
        status: "active",
        suspended_until: null,
        created_at: start,
        premod: 0,
        warning: null,
      };
      await insertUser(deps.store.db, user);
      users.set(c.author, user);
    }
    const at = start + (i + 1) * 7 * 60_000;
    const clock = { now: () => at };
    const { body: result } = await postComment({
      deps: { ...deps, clock },
      actor: { user, sessionId: "demo" },
      storyId: story.id,
      input: { body: c.body, parentId: c.parent ? ids.get(c.parent) : undefined },
    });
    ids.set(c.n, result.comment.id);
  }
  await seedNewsroomLoop(deps);
  return { storyId: story.id };
}
