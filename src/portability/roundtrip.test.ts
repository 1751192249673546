import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DIALECTS,
  type TestApp,
  auth,
  manualClock,
  post,
  resolveStory,
  signup,
  testApp,
} from "../../test/helpers.js";
import type { Store } from "../store/db.js";
import { exportAll } from "./export.js";
import { ExportVersionError, importJson } from "./json-import.js";
import { TextSource } from "./source.js";
import { emptyStore } from "../../test/portability/databases.js";

async function exportLines(store: Store, site?: string): Promise<string[]> {
  const lines: string[] = [];
  await exportAll(store, (line) => void lines.push(line), { site, now: () => 0 });
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), "parley-export-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, lines: string[]): TextSource {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return TextSource.fromFile(path);
}


for (const { dialect, skip } of DIALECTS) {
  describe(`export and import json on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    before(async () => {
      t = await testApp(dialect, { clock });
      const storyId = await resolveStory(t.app, "/politics/council-vote");
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      // Moderation may hold what new accounts write; these rows only need to exist, so publish them.
      const publish = (id: string) =>
        t.store.db.updateTable("comments").set({ status: "published" }).where("id", "=", id).execute();
      const top = await post(t.app, ann.token, storyId, "The council vote was **close**, closer than expected.");
      await publish(top.id);
      clock.advance(60_000);
      const reply = await post(t.app, bob.token, storyId, "It was five votes to four, by my count.", top.id);
      await publish(reply.id);
      clock.advance(60_000);
      await post(t.app, ann.token, storyId, "The minutes of the meeting say the same thing.", reply.id);
      const edited = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/comments/${reply.id}`,
        headers: auth(bob.token),
        payload: { body: "It was five votes to four, with one abstention." },
      });
      assert.equal(edited.statusCode, 200);
      const liked = await t.app.inject({
        method: "POST",
        url: `/api/v1/comments/${top.id}/reactions`,
        headers: auth(bob.token),
        payload: { kind: "like" },
      });
      assert.equal(liked.statusCode < 300, true);
      const other = await resolveStory(t.app, "/sport/final");
      clock.advance(60_000);
      await post(t.app, bob.token, other, "What a match that was, a real thriller.");
    });
    after(() => t.close());

    it("gives back the same rows, ids included, in an empty database", async () => {
      const first = await exportLines(t.store);
      const header = JSON.parse(first[0]);
      assert.equal(header.format, "parley-export");
      assert.equal(header.version, 1);
      const tables = first.slice(1, -1).map((l) => JSON.parse(l).table as string);
      for (const table of ["sites", "users", "stories", "comments", "comment_revisions", "reactions"]) {
        assert.ok(tables.includes(table), `the export holds ${table}`);
      }
      assert.ok(!tables.includes("sessions"), "sessions never leave the server");
      const target = await emptyStore(dialect);
      try {
        const summary = await importJson(target.store, fileOf(`${dialect}-all.jsonl`, first));
        assert.deepEqual(summary.problems, {});
        assert.equal(summary.added.comments, 4);
        const second = await exportLines(target.store);
        assert.deepEqual(second.slice(1), first.slice(1));

        const again = await importJson(target.store, fileOf(`${dialect}-all.jsonl`, first));
        assert.deepEqual(again.added, {}, "a second import adds nothing");
        assert.equal(again.existing.comments, 4);
        assert.deepEqual((await exportLines(target.store)).slice(1), first.slice(1), "and changes nothing");
      } finally {
        await target.close();
      }
    });

    it("writes each reply after its parent, so the file loads in order", async () => {
      const lines = (await exportLines(t.store)).slice(1, -1).map((l) => JSON.parse(l));
      const seen = new Set<string>();
      for (const { table, row } of lines) {
        if (table !== "comments") continue;
        if (row.parent_id) assert.ok(seen.has(row.parent_id), `${row.id} follows its parent`);
        seen.add(row.id);
      }
      assert.equal(seen.size, 4);
    });

    it("exports one site only with --site", async () => {
      const lines = (await exportLines(t.store, "no-such-site")).slice(1, -1);
      assert.deepEqual(lines, []);
      const all = (await exportLines(t.store, "default")).slice(1, -1).map((l) => JSON.parse(l).table);
      assert.equal(all.filter((x) => x === "comments").length, 4);
      assert.equal(all.filter((x) => x === "users").length, 2, "only the users the site's rows name");
    });

    it("refuses a newer export version and reports a truncated file", async () => {
      const target = await emptyStore(dialect);
      try {
        const first = await exportLines(t.store);
        const newer = [JSON.stringify({ ...JSON.parse(first[0]), version: 2 }), ...first.slice(1)];
        await assert.rejects(importJson(target.store, fileOf("v2.jsonl", newer)), ExportVersionError);
        const cut = first.slice(0, 5);
        const summary = await importJson(target.store, fileOf("cut.jsonl", [...cut, "{not json"]));
        assert.equal(summary.problems["file ends early (no end line: truncated?)"], 1);
        assert.equal(summary.problems["lines that are not JSON"], 1);
      } finally {
        await target.close();
      }
    });
  });
}
