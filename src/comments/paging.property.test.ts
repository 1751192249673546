import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";

interface Listed {
  id: string;
  replyCount: number;
  replies?: { items: Listed[]; nextCursor: string | null };
}

/** Verifies the stored counts of a story against counts of the rows themselves. */
async function assertCountsTrue(t: TestApp, storyId: string) {
  const db = t.store.db;
  const story = await db
    .selectFrom("stories")
    .select("comment_count")
    .where("id", "=", storyId)
    .executeTakeFirstOrThrow();
  const rows = await db.selectFrom("comments").selectAll().where("story_id", "=", storyId).execute();
  assert.equal(story.comment_count, rows.filter((r) => r.status === "published").length, "story comment count");
  for (const row of rows) {
    const children = rows.filter((r) => r.parent_id === row.id && (r.status === "published" || r.status === "removed"));
    assert.equal(row.reply_count, children.length, `reply count of ${row.id}`);
    // Reactions waiting for their author's first published comment are stored but not counted.
    const reactions = await db
      .selectFrom("reactions")
      .select("kind")
      .where("comment_id", "=", row.id)
      .where("counted", "=", 1)
      .execute();
    assert.equal(row.reaction_count, reactions.length, `reaction count of ${row.id}`);
    const byKind: Record<string, number> = {};
    for (const r of reactions) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    assert.deepEqual(JSON.parse(row.reactions), byKind, `reactions of ${row.id}`);
  }
}

for (const { dialect, skip } of DIALECTS) {
  describe(`paging and counts on ${dialect} (property)`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let readers: { token: string; id: string }[] = [];
    let editor: { token: string; id: string };
    before(async () => {
      t = await testApp(dialect, { clock });
      readers = [];
      for (let i = 0; i < 4; i++) readers.push(await signup(t.app, `Reader ${i}`));
      editor = await signup(t.app, "Editor");
      await t.store.db.updateTable("users").set({ role: "staff" }).where("id", "=", editor.id).execute();
    });
    after(() => t.close());

    it("visits every visible top-level comment exactly once, with any page size and sort, while comments are added", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            comments: fc.array(
              fc.record({
                author: fc.nat(3),
                likes: fc.nat(3),
                tick: fc.constantFrom(0, 0, 1000),
                deleted: fc.boolean(),
                picked: fc.boolean(),
              }),
              { minLength: 0, maxLength: 25 },
            ),
            sort: fc.constantFrom("newest", "oldest", "top", "featured"),
            pageSize: fc.integer({ min: 1, max: 8 }),
            addedPerPage: fc.array(fc.nat(2), { maxLength: 10 }),
          }),
          async ({ comments, sort, pageSize, addedPerPage }) => {
            const storyId = await resolveStory(t.app);
            const visible = new Set<string>();
            const picked: string[] = [];
            for (const c of comments) {
              clock.advance(c.tick);
              const author = readers[c.author];
              const posted = await post(t.app, author.token, storyId, `comment ${visible.size}`);
              for (let l = 0; l < c.likes; l++) {
                const reader = readers[(c.author + 1 + l) % readers.length];
                await t.app.inject({
                  method: "POST",
                  url: `/api/v1/comments/${posted.id}/reactions`,
                  headers: auth(reader.token),
                  payload: { kind: "like" },
                });
              }
              if (c.picked && !c.deleted) picked.push(posted.id);
              if (c.deleted)
                await t.app.inject({
                  method: "DELETE",
                  url: `/api/v1/comments/${posted.id}`,
                  headers: auth(author.token),
                });
              else visible.add(posted.id);
            }
            // Picked later than written, oldest comment last, some in the same millisecond.
            for (const [i, id] of picked.reverse().entries()) {
              if (i % 2) clock.advance(100);
              const res = await t.app.inject({
                method: "POST",
                url: `/api/v1/comments/${id}/feature`,
                headers: auth(editor.token),
              });
              assert.equal(res.statusCode, 200);
            }
            const seen: string[] = [];
            let cursor: string | null = null;
            let pages = 0;
            do {
              const query: string = `sort=${sort}&limit=${pageSize}${cursor ? `&cursor=${cursor}` : ""}`;
              const res = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments?${query}` });
              assert.equal(res.statusCode, 200);
              const body = res.json<{ items: Listed[]; nextCursor: string | null }>();
              assert.ok(body.items.length <= pageSize);
              seen.push(...body.items.map((c) => c.id));
              cursor = body.nextCursor;
              for (let k = 0; k < (addedPerPage[pages] ?? 0); k++) {
                clock.advance(500);
                await post(t.app, readers[k % readers.length].token, storyId, "added while paging");
              }
              pages++;
            } while (cursor && pages < 200);
            assert.equal(new Set(seen).size, seen.length, "no comment is seen twice");
            for (const id of visible) assert.ok(seen.includes(id), `comment ${id} was skipped`);
          },
        ),
        { numRuns: 12, seed: 20261125 },
      );
    });

    it("keeps stored counts equal to the real counts through any mix of posts, replies, deletions and reactions", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              {
                weight: 5,
                arbitrary: fc.record({
                  op: fc.constant("post" as const),
                  author: fc.nat(3),
                  parent: fc.option(fc.nat(50), { nil: undefined, freq: 2 }),
                }),
              },
              { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), target: fc.nat(50) }) },
              {
                weight: 2,
                arbitrary: fc.record({
                  op: fc.constant("react" as const),
                  reader: fc.nat(3),
                  target: fc.nat(50),
                  kind: fc.constantFrom("like", "funny"),
                }),
              },
              {
                weight: 1,
                arbitrary: fc.record({
                  op: fc.constant("unreact" as const),
                  reader: fc.nat(3),
                  target: fc.nat(50),
                  kind: fc.constantFrom("like", "funny"),
                }),
              },
            ),
            { minLength: 5, maxLength: 40 },
          ),
          async (ops) => {
            const storyId = await resolveStory(t.app);
            const posted: { id: string; author: number }[] = [];
            for (const op of ops) {
              clock.advance(10);
              const pick = (n: number) => (posted.length ? posted[n % posted.length] : undefined);
              if (op.op === "post") {
                const parent = op.parent === undefined ? undefined : pick(op.parent);
                const res = await t.app.inject({
                  method: "POST",
                  url: `/api/v1/stories/${storyId}/comments`,
                  headers: auth(readers[op.author].token),
                  payload: { body: "text", ...(parent ? { parentId: parent.id } : {}) },
                });
                if (res.statusCode === 201) posted.push({ id: res.json().comment.id, author: op.author });
              } else if (op.op === "delete") {
                const target = pick(op.target);
                if (target)
                  await t.app.inject({
                    method: "DELETE",
                    url: `/api/v1/comments/${target.id}`,
                    headers: auth(readers[target.author].token),
                  });
              } else {
                const target = pick(op.target);
                if (!target) continue;
                const headers = auth(readers[op.reader].token);
                if (op.op === "react") {
                  await t.app.inject({
                    method: "POST",
                    url: `/api/v1/comments/${target.id}/reactions`,
                    headers,
                    payload: { kind: op.kind },
                  });
                } else {
                  await t.app.inject({
                    method: "DELETE",
                    url: `/api/v1/comments/${target.id}/reactions/${op.kind}`,
                    headers,
                  });
                }
              }
            }
            await assertCountsTrue(t, storyId);
          },
        ),
        { numRuns: 15, seed: 11 },
      );
    });
  });
}
