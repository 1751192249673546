/**
 * A separate process that writes comments as fast as it can and prints `ack <id>` after
 * each commit: the write load of the backup test. Bounded in count and time.
 */
import { openStore } from "../../src/store/db.js";

const [databaseUrl, limit = "20000", seconds = "30"] = process.argv.slice(2);
const store = await openStore(databaseUrl);
const now = Date.now();
await store.db
  .insertInto("sites")
  .values({ id: "default", name: "Default", origins: "[]", settings: "{}", created_at: now })
  .onConflict((oc) => oc.doNothing())
  .execute();
await store.db
  .insertInto("users")
  .values({ id: "writer", email: null, password_hash: null, display_name: "Writer", role: "commenter", status: "active", suspended_until: null, created_at: now })
  .execute();
await store.db
  .insertInto("stories")
  .values({ id: "story", site_id: "default", url: "https://news.example/load", title: "Load", author: null, published_at: null, body_text: null, status: "open", premod: 0, created_at: now, updated_at: now })
  .execute();
process.stdout.write("ready\n");
const deadline = Date.now() + Number(seconds) * 1000;
for (let i = 0; i < Number(limit) && Date.now() < deadline; i++) {
  const id = `c${String(i).padStart(6, "0")}`;
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("comments")
      .values({ id, site_id: "default", story_id: "story", parent_id: null, depth: 0, author_id: "writer", body: `comment ${i}`, body_html: `<p>comment ${i}</p>`, quote: null, status: "published", scores: null, reasons: null, created_at: Date.now(), edited_at: null })
      .execute();
  });
  process.stdout.write(`ack ${id}\n`);
}
await store.close();
