import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Actor } from "../accounts/actor.js";
import { insertUser, updateUser } from "../accounts/store.js";
import { ARTICLES_DIR, parseArticle } from "../articles/content.js";
import { setFeatured } from "../comments/featured.js";
import { postComment } from "../comments/service.js";
import { decideCorrection, suggestCorrection } from "../corrections/service.js";
import type { Deps } from "../deps.js";
import { CONTENT_DIR } from "../paths.js";
import { DEFAULT_SITE_ID } from "../site/service.js";
import type { Role, UserRow } from "../store/schema.js";
import { insertStoryOnce } from "../stories/store.js";

interface LoopScript {
  article: string;
  reporter: { name: string; badge: string };
  editor: string;
  correction: {
    author: string;
    comment: string;
    passage: string;
    body: string;
    evidenceUrl: string;
    thanks: { author: string; body: string };
    reporterReply: string;
    note: string;
  };
  question: { author: string; body: string; answer: string };
}

/**
 * The demo's second story tells the newsroom loop in one thread (content/demo/newsroom-loop.json):
 * a reader's correction with evidence, accepted into a correction on the article; a thank-you;
 * the correction featured as an editor's pick; a question the reporter answers (a Q&A story).
 */
export async function seedNewsroomLoop(deps: Deps): Promise<void> {
  const script = JSON.parse(readFileSync(join(CONTENT_DIR, "demo", "newsroom-loop.json"), "utf8")) as LoopScript;
  const article = parseArticle(script.article, readFileSync(join(ARTICLES_DIR, `${script.article}.md`), "utf8"));
  let at = deps.clock.now() - 90 * 60_000;
  const step = () => {
    at += 9 * 60_000;
    const now = at;
    return { ...deps, clock: { now: () => now } };
  };
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
    created_at: at,
    updated_at: at,
    mode: "qa",
  });
  const person = async (name: string, role: Role = "commenter", badges: string[] = []): Promise<Actor> => {
    const user: UserRow = {
      id: deps.ids.next(),
      email: null,
      password_hash: null,
      display_name: name,
      role,
      status: "active",
      suspended_until: null,
      created_at: at,
      premod: 0,
      warning: null,
    };
    await insertUser(deps.store.db, user);
    if (badges.length) await updateUser(deps.store.db, user.id, { badges: JSON.stringify(badges) });
    return { user, sessionId: "demo" };
  };
  const c = script.correction;
  const [marta, sam, lena] = [
    await person(c.author),
    await person(c.thanks.author),
    await person(script.question.author),
  ];
  const reporter = await person(script.reporter.name, "staff", [script.reporter.badge]);
  const editor = await person(script.editor, "staff");
  const post = async (actor: Actor, body: string, parentId?: string) =>
    (await postComment({ deps: step(), actor, storyId: story.id, input: { body, parentId } })).body.comment.id;

  const correctionComment = await post(marta, c.comment);
  const { body: suggested } = await suggestCorrection({
    deps: step(),
    actor: marta,
    storyId: story.id,
    input: { body: c.body, quote: { text: c.passage }, evidenceUrl: c.evidenceUrl },
  });
  await post(sam, c.thanks.body, correctionComment);
  const question = await post(lena, script.question.body);
  await post(reporter, script.question.answer, question);
  await post(reporter, c.reporterReply, correctionComment);
  await decideCorrection({ deps: step(), actor: editor, id: suggested.correction.id, action: "accept", note: c.note });
  await setFeatured({ deps: step(), actor: editor, id: correctionComment, featured: true });
}
