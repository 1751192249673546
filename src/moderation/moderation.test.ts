import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DIALECTS,
  type TestApp,
  auth,
  manualClock,
  post,
  postComment,
  resolveStory,
  signup,
  testApp,
} from "../../test/helpers.js";

const MINUTE = 60_000;

for (const { dialect, skip } of DIALECTS) {
  describe(`moderation on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let mod: { token: string; id: string };
    let admin: { token: string; id: string };
    const role = (id: string, r: "moderator" | "admin") =>
      t.store.db.updateTable("users").set({ role: r }).where("id", "=", id).execute();
    const inject = (method: "GET" | "POST" | "PATCH", url: string, token?: string, payload?: object) =>
      t.app.inject({ method, url, headers: token ? auth(token) : {}, ...(payload ? { payload } : {}) });
    const count = async (storyId: string) => (await inject("GET", `/api/v1/stories/${storyId}`)).json().commentCount;

    before(async () => {
      t = await testApp(dialect, {
        clock,
        // The webhook test saves a loopback URL (the default refusal is in external-webhook.test.ts).
        env: { PARLEY_WEBHOOK_ALLOW_PRIVATE: "true" },
        moderation: { thresholds: { toxicity: 1, insult: 1, identityAttack: 1, threat: 1, profanity: 1, spam: 1 } },
      });
      mod = await signup(t.app, "Moderator");
      admin = await signup(t.app, "Admin");
      await role(mod.id, "moderator");
      await role(admin.id, "admin");
    });
    after(() => t.close());

    it("limits the posting rate per author with 429 and Retry-After, and new accounts per day", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      clock.advance(10_000);
      assert.equal(
        (await postComment(t.app, ann.token, storyId, { body: "First thought on the vote." })).statusCode,
        201,
      );
      const fast = await postComment(t.app, ann.token, storyId, { body: "A second, different thought." });
      assert.equal(fast.statusCode, 429);
      assert.equal(fast.json().error.code, "RATE_LIMITED");
      assert.ok(Number(fast.headers["retry-after"]) >= 1);
      for (let i = 0; i < 9; i++) {
        clock.advance(6_000);
        const res = await postComment(t.app, ann.token, storyId, {
          body: `Distinct remark number ${i} about ${["buses", "trams", "bikes", "cars", "ferries", "trains", "parking", "sidewalks", "signals"][i]}.`,
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      clock.advance(6_000);
      const eleventh = await postComment(t.app, ann.token, storyId, { body: "An eleventh remark on the first day." });
      assert.equal(eleventh.statusCode, 429, "new accounts post at most 10 comments on their first day");
      clock.advance(24 * 60 * MINUTE);
      assert.equal((await postComment(t.app, ann.token, storyId, { body: "A day later, one more." })).statusCode, 201);
    });

    it("refuses exact and near duplicates from the same author, and holds the same text from a second account", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      clock.advance(10_000);
      await post(t.app, ann.token, storyId, "Exactly right, the council never checks its facts.");
      clock.advance(10_000);
      const exact = await postComment(t.app, ann.token, storyId, {
        body: "exactly right — the council never checks its facts",
      });
      assert.equal(exact.json().error.code, "DUPLICATE_COMMENT");
      clock.advance(20 * MINUTE);
      const near = await postComment(t.app, ann.token, storyId, {
        body: "Exactly right, the council never checks its facts!!",
      });
      assert.equal(near.statusCode, 409);
      assert.equal(near.json().error.code, "DUPLICATE_COMMENT");
      const spam = "Great deals on bus passes at the kiosk near the library today";
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await post(t.app, (await signup(t.app, `Seller ${i}`)).token, storyId, spam)).status);
      // The second account's copy is already held as a copy of another reader's comment.
      assert.deepEqual(statuses, ["published", "pending", "pending"]);
    });

    it("holds links from new accounts and links to blocked domains", async () => {
      const storyId = await resolveStory(t.app);
      const fresh = await signup(t.app, "Fresh");
      clock.advance(10_000);
      assert.equal(
        (await post(t.app, fresh.token, storyId, "Read https://paper.example/report first")).status,
        "pending",
      );
      await inject("PATCH", "/api/v1/admin/settings", admin.token, {
        moderation: { blockedDomains: ["spam.example"] },
      });
      const trusted = await signup(t.app, "Trusted");
      for (const body of ["One civil remark here.", "Another quite different note."]) {
        clock.advance(10_000);
        await post(t.app, trusted.token, storyId, body);
      }
      clock.advance(10_000);
      assert.equal(
        (await post(t.app, trusted.token, storyId, "Source: https://news.example/data")).status,
        "published",
      );
      clock.advance(10_000);
      assert.equal(
        (await post(t.app, trusted.token, storyId, "Cheap: https://deals.spam.example/x")).status,
        "pending",
      );
      await inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation: { blockedDomains: [] } });
    });

    it("holds a comment three readers report, lists it in the reported queue, and restores it on approval", async () => {
      const storyId = await resolveStory(t.app);
      const author = await signup(t.app, "Author");
      const c = await post(t.app, author.token, storyId, "A contested but civil view on the lanes.");
      assert.equal(await count(storyId), 1);
      const report = (token: string, body: object = { reason: "abusive", note: "rude" }) =>
        inject("POST", `/api/v1/comments/${c.id}/reports`, token, body);
      assert.equal((await report(author.token)).statusCode, 403, "no reporting one's own comment");
      const readers = [await signup(t.app, "R1"), await signup(t.app, "R2"), await signup(t.app, "R3")];
      assert.equal((await report(readers[0].token)).statusCode, 201);
      const keyed = (token: string, key: string) =>
        t.app.inject({
          method: "POST",
          url: `/api/v1/comments/${c.id}/reports`,
          headers: { ...auth(token), "idempotency-key": key },
          payload: { reason: "abusive", note: "rude" },
        });
      const again = await report(readers[0].token);
      assert.equal(again.statusCode, 409);
      assert.equal((await keyed(readers[0].token, "k1")).statusCode, 409, "a new key does not hide a second report");
      assert.equal(again.json().error.code, "ALREADY_REPORTED");
      assert.equal((await report(readers[1].token, { reason: "nonsense" })).statusCode, 400);
      assert.equal((await keyed(readers[1].token, "k2")).statusCode, 201);
      assert.equal((await keyed(readers[1].token, "k2")).statusCode, 201, "a retried key gets the first response");
      assert.equal(await count(storyId), 1, "two reports do not hold it");
      await report(readers[2].token, { reason: "spam" });
      assert.equal(await count(storyId), 0, "the third report holds it");
      assert.equal((await inject("GET", `/api/v1/stories/${storyId}/comments`)).json().items.length, 0);
      assert.equal((await inject("GET", `/api/v1/comments/${c.id}`, author.token)).json().comment.status, "pending");

      const queue = (await inject("GET", `/api/v1/moderation/queues/reported?storyId=${storyId}`, mod.token)).json();
      assert.equal(queue.items.length, 1);
      const item = queue.items[0];
      assert.equal(item.comment.id, c.id);
      assert.deepEqual(
        item.reports.map((r: { reason: string }) => r.reason),
        ["abusive", "abusive", "spam"],
      );
      assert.equal(item.reasons.at(-1).code, "REPORTED");
      assert.equal(item.author.user.id, author.id);
      assert.equal(item.author.counts.pending, 1);

      const decided = await inject("POST", `/api/v1/moderation/comments/${c.id}/decision`, mod.token, {
        action: "approve",
      });
      assert.deepEqual(decided.json(), { id: c.id, status: "published" });
      assert.equal(await count(storyId), 1);
      assert.equal(
        (await inject("GET", `/api/v1/moderation/queues/reported?storyId=${storyId}`, mod.token)).json().items.length,
        0,
      );
    });

    it("orders the pending queue by priority then age, pages it, and approves or rejects in bulk", async () => {
      const storyId = await resolveStory(t.app);
      await inject("PATCH", `/api/v1/stories/${storyId}`, mod.token, { premod: true });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        ids.push(
          (
            await post(
              t.app,
              (await signup(t.app, `Writer ${i}`)).token,
              storyId,
              `Held comment number ${i} for the desk.`,
            )
          ).id,
        );
      }
      await t.store.db.updateTable("comments").set({ priority: 900 }).where("id", "=", ids[3]).execute();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/moderation/queues/pending?storyId=${storyId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const page = (await inject("GET", url, mod.token)).json();
        seen.push(...page.items.map((i: { comment: { id: string } }) => i.comment.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [ids[3], ids[0], ids[1], ids[2], ids[4]]);
      assert.equal(
        (await inject("GET", "/api/v1/moderation/queues/pending", (await signup(t.app)).token)).statusCode,
        403,
      );
      assert.equal((await inject("GET", "/api/v1/moderation/queues/pending")).statusCode, 401);
      assert.equal((await inject("GET", "/api/v1/moderation/queues/pending?cursor=bad!", mod.token)).statusCode, 400);

      const bulk = await inject("POST", "/api/v1/moderation/decisions", mod.token, {
        ids: [ids[0], ids[1], "missing"],
        action: "approve",
      });
      assert.deepEqual(
        bulk.json().results.map((r: { status?: string; error?: string }) => r.status ?? r.error),
        ["published", "published", "NOT_FOUND"],
      );
      assert.equal(await count(storyId), 2);
      await inject("POST", `/api/v1/moderation/comments/${ids[0]}/decision`, mod.token, {
        action: "reject",
        reason: { code: "off-topic", text: "Not about the story." },
      });
      assert.equal(await count(storyId), 1);
      const rejected = (await inject("GET", `/api/v1/moderation/queues/rejected?storyId=${storyId}`, mod.token)).json();
      assert.deepEqual(
        rejected.items.map((i: { comment: { id: string } }) => i.comment.id),
        [ids[0]],
      );
      const log = (await inject("GET", `/api/v1/moderation/log?targetId=${ids[0]}`, mod.token)).json();
      assert.deepEqual(
        log.items.map((e: { action: string }) => e.action),
        ["comment.reject", "comment.approve"],
      );
      assert.deepEqual(log.items[0].reason, { code: "off-topic", label: "off-topic", text: "Not about the story." });
      assert.deepEqual([log.items[0].before, log.items[0].after], [{ status: "published" }, { status: "rejected" }]);
      assert.equal(
        (
          await inject("POST", `/api/v1/moderation/comments/${ids[2]}/decision`, mod.token, {
            action: "approve",
            reason: { code: "made-up" },
          })
        ).statusCode,
        400,
      );
    });

    it("bans, suspends, warns and pre-moderates users; each action blocks as it should and is logged", async () => {
      const storyId = await resolveStory(t.app);
      const troll = await signup(t.app, "Troll");
      const act = (body: object) => inject("POST", `/api/v1/moderation/users/${troll.id}/actions`, mod.token, body);
      const attempt = async () => {
        clock.advance(10_000);
        return postComment(t.app, troll.token, storyId, { body: `Attempt at ${clock.now()} to post.` });
      };
      assert.equal((await attempt()).statusCode, 201);

      assert.equal((await act({ action: "warn", message: "Keep it civil." })).statusCode, 200);
      const warned = await attempt();
      assert.equal(warned.json().error.code, "WARNING_UNACKNOWLEDGED");
      assert.equal(warned.json().error.details.warning, "Keep it civil.");
      await inject("POST", "/api/v1/me/warning/acknowledge", troll.token);
      assert.equal((await attempt()).statusCode, 201);

      const until = new Date(clock.now() + 60 * MINUTE).toISOString();
      assert.equal((await act({ action: "suspend", until: "yesterday" })).statusCode, 400);
      await act({ action: "suspend", until });
      const suspended = await attempt();
      assert.equal(suspended.statusCode, 403);
      assert.equal(suspended.json().error.code, "USER_SUSPENDED");
      assert.equal(suspended.json().error.details.until, until);
      await act({ action: "clear" });

      await act({ action: "premod" });
      assert.equal((await attempt()).json().comment.status, "pending");
      await act({ action: "clear" });

      await act({ action: "ban", siteId: "default" });
      assert.equal((await attempt()).json().error.code, "USER_BANNED");
      await act({ action: "clear" });
      const ban = await act({ action: "ban", rejectComments: {} });
      assert.equal(ban.json().rejectedComments, 3);
      const banned = await attempt();
      assert.equal(banned.statusCode, 403);
      assert.equal(banned.json().error.code, "USER_BANNED");
      assert.equal(await count(storyId), 0);

      await inject("POST", `/api/v1/moderation/users/${troll.id}/notes`, mod.token, { body: "Repeat offender." });
      const history = (await inject("GET", `/api/v1/moderation/users/${troll.id}/history`, mod.token)).json();
      assert.equal(history.author.user.status, "banned");
      assert.equal(history.comments.items.length, 3);
      assert.ok(history.comments.items.every((i: { comment: { status: string } }) => i.comment.status === "rejected"));
      assert.deepEqual(
        history.notes.map((n: { body: string }) => n.body),
        ["Repeat offender."],
      );
      const userActions = history.actions
        .filter((a: { targetType: string }) => a.targetType === "user")
        .map((a: { action: string }) => a.action);
      assert.deepEqual(userActions, [
        "user.note",
        "user.ban",
        "user.clear",
        "user.ban",
        "user.clear",
        "user.premod",
        "user.clear",
        "user.suspend",
        "user.acknowledge_warning",
        "user.warn",
      ]);
      const onAdmin = await inject("POST", `/api/v1/moderation/users/${admin.id}/actions`, mod.token, {
        action: "ban",
      });
      assert.equal(onAdmin.statusCode, 403);
    });

    it("lets admins read and change settings, validated as a whole and written to the audit log", async () => {
      assert.equal((await inject("GET", "/api/v1/admin/settings", mod.token)).statusCode, 403);
      const current = (await inject("GET", "/api/v1/admin/settings", admin.token)).json();
      assert.equal(current.moderation.reportThreshold, 3);
      const bad = await inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation: { reportThreshold: 0 } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, "VALIDATION_FAILED");
      const badWord = await inject("PATCH", "/api/v1/admin/settings", admin.token, {
        moderation: { bannedWords: ["[regex]"] },
      });
      assert.equal(badWord.statusCode, 400);
      assert.equal((await inject("GET", "/api/v1/admin/settings", admin.token)).json().moderation.reportThreshold, 3);
      const changed = await inject("PATCH", "/api/v1/admin/settings", admin.token, {
        moderation: { reportThreshold: 5, bannedWords: ["grifter"] },
      });
      assert.equal(changed.json().moderation.reportThreshold, 5);
      const log = (await inject("GET", "/api/v1/moderation/log?action=settings.update", admin.token)).json();
      assert.equal(log.items[0].before.reportThreshold, 3);
      assert.equal(log.items[0].after.reportThreshold, 5);
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      clock.advance(10_000);
      const refused = await postComment(t.app, ann.token, storyId, { body: "What a g-r-i-f-t-e-r." });
      assert.equal(refused.json().error.code, "BANNED_WORD");
      await inject("PATCH", "/api/v1/admin/settings", admin.token, {
        moderation: { reportThreshold: 3, bannedWords: [] },
      });
    });

    it("gives each site its own edit window, the server's by default, changed by admins and audited", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const edit = (id: string) => t.app.inject({ method: "PATCH", url: `/api/v1/comments/${id}`, headers: auth(ann.token), payload: { body: `Edited at ${clock.now()}` } });
      const limits = async () =>
        JSON.parse(/"editWindowSeconds":(\d+)/.exec((await inject("GET", `/embed/threads?story=${storyId}`)).body)?.[1] ?? "null") as number | null;
      assert.equal((await inject("GET", "/api/v1/admin/settings", admin.token)).json().moderation.editWindowSeconds, null);
      assert.equal(await limits(), t.config.editWindowSeconds);
      clock.advance(10_000);
      const first = await post(t.app, ann.token, storyId, "A remark about the budget.");
      clock.advance((t.config.editWindowSeconds + 1) * 1000);
      const closed = await edit(first.id);
      assert.equal(closed.statusCode, 409);
      assert.equal(closed.json().error.details.editWindowSeconds, t.config.editWindowSeconds);

      for (const bad of [-1, 1.5, 8 * 24 * 3600, "600"]) {
        const res = await inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation: { editWindowSeconds: bad } });
        assert.equal(res.statusCode, 400, String(bad));
        assert.equal(res.json().error.code, "VALIDATION_FAILED");
      }
      assert.equal((await inject("PATCH", "/api/v1/admin/settings", mod.token, { moderation: { editWindowSeconds: 1800 } })).statusCode, 403);
      const changed = await inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation: { editWindowSeconds: 1800 } });
      assert.equal(changed.json().moderation.editWindowSeconds, 1800);
      const log = (await inject("GET", "/api/v1/moderation/log?action=settings.update", admin.token)).json();
      assert.deepEqual([log.items[0].before.editWindowSeconds, log.items[0].after.editWindowSeconds], [null, 1800]);
      assert.equal(await limits(), 1800, "the widget learns the site's window");
      assert.equal((await edit(first.id)).statusCode, 200, "the longer window reopens it");
      clock.advance(1200 * 1000);
      const late = await edit(first.id);
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.details.editWindowSeconds, 1800);

      await inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation: { editWindowSeconds: null } });
      assert.equal(await limits(), t.config.editWindowSeconds, "null gives the server's default back");
    });

    it("never returns or logs the webhook secret, and keeps it when the masked value comes back", async () => {
      const webhook = {
        url: "http://127.0.0.1:9/hook",
        secret: "a-very-secret-value-1234",
        timeoutMs: 500,
        failOpen: true,
      };
      const set = await inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation: { webhook } });
      assert.equal(set.json().moderation.webhook.secret, "*".repeat(16));
      const round = await inject("PATCH", "/api/v1/admin/settings", admin.token, {
        moderation: { webhook: { ...set.json().moderation.webhook, timeoutMs: 600 } },
      });
      assert.equal(round.statusCode, 200);
      const stored = await t.store.db
        .selectFrom("sites")
        .select("settings")
        .where("id", "=", "default")
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(stored.settings).moderation.webhook.secret, webhook.secret);
      const log = await inject("GET", "/api/v1/moderation/log?action=settings.update", admin.token);
      assert.doesNotMatch(log.body, /a-very-secret-value/);
      await inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation: { webhook: null } });
    });

    it("adds sites whose origins may then embed threads", async () => {
      const url = `/api/v1/stories/resolve?url=${encodeURIComponent("https://other.example/story")}`;
      assert.equal((await inject("GET", url)).statusCode, 403);
      const created = await inject("POST", "/api/v1/admin/sites", admin.token, {
        id: "other",
        name: "Other paper",
        origins: ["https://other.example"],
      });
      assert.equal(created.statusCode, 201);
      assert.equal(
        (await inject("POST", "/api/v1/admin/sites", admin.token, { id: "other", name: "Again", origins: [] }))
          .statusCode,
        409,
      );
      const story = await inject("GET", url);
      assert.equal(story.statusCode, 200);
      assert.equal(story.json().siteId, "other");
      const log = (await inject("GET", "/api/v1/moderation/log?action=site.create", admin.token)).json();
      assert.equal(log.items[0].targetId, "other");
    });
  });
}
