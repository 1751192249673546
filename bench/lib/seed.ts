/**
 * Seeds a benchmark database straight through Kysely, in large transactions: readers with
 * sessions, and one story per requested size with a realistic thread (30% replies at any
 * depth, bodies of 50–600 characters, skewed reaction counts for the `top` sort).
 * Going around the API makes 111,000 comments take seconds instead of minutes; the rows
 * are exactly what the API would store for plain-text comments.
 */
import { createHash, randomBytes } from "node:crypto";
import { type Insertable, sql } from "kysely";
import { hashToken } from "../../src/accounts/service.js";
import { renderMarkdown } from "../../src/comments/render.js";
import { timeOrderedIds } from "../../src/context.js";
import type { Store } from "../../src/store/db.js";
import type { NewComment, UsersTable } from "../../src/store/schema.js";

export const SITE_ID = "default";
const REPLY_SHARE = 0.3;
const AUTHORS = 2_000;
const CHUNK = 500;

/** A small deterministic generator, so two runs seed the same threads. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the council vote on bus lanes was close and the mayor said the budget would cover " +
  "repairs to the bridge before winter but residents asked why the report took so long " +
  "figures from the transport office show fewer cars in the centre since spring while " +
  "shop owners worry about deliveries parking and the cost of new permits for vans"
).split(" ");

/** Plain prose of 50–600 characters: what the renderer turns into one or two paragraphs. */
export function body(rand: () => number): { body: string; html: string } {
  const target = 50 + Math.floor(rand() * 551);
  let text = "";
  while (text.length < target) {
    const word = WORDS[Math.floor(rand() * WORDS.length)];
    text += text.length === 0 ? word[0].toUpperCase() + word.slice(1) : ` ${word}`;
    if (rand() < 0.08) text += ".";
  }
  text = `${text.slice(0, target).trimEnd()}.`;
  // What renderMarkdown makes of plain prose; `checkRenderer` holds the two together.
  const split = text.length > 300 ? text.indexOf(" ", 250) : -1;
  if (split < 0) return { body: text, html: `<p>${text}</p>` };
  const [a, b] = [text.slice(0, split), text.slice(split + 1)];
  return { body: `${a}\n\n${b}`, html: `<p>${a}</p>\n<p>${b}</p>` };
}

/** Fails the run if the seeded HTML is no longer what the real renderer would store. */
export function checkRenderer(): void {
  const rand = random(1);
  for (let i = 0; i < 50; i++) {
    const text = body(rand);
    if (renderMarkdown(text.body) !== text.html) throw new Error(`seeded HTML differs from renderMarkdown: ${text.html}`);
  }
}

const SCORES = JSON.stringify({ toxicity: 0.04, insult: 0.02, identityAttack: 0.01, threat: 0.01, profanity: 0.02, spam: 0.05 });

/** A stand-in for a MinHash signature: 64 32-bit values, base64. */
function signature(rand: () => number): string {
  const values = new Uint32Array(64).map(() => Math.floor(rand() * 4294967296));
  return Buffer.from(values.buffer).toString("base64");
}

export interface Reader {
  id: string;
  token: string;
}

export interface SeededStory {
  id: string;
  size: number;
  /** The comment with the most replies: the replies-page row reads its first page. */
  busiestParent: { id: string; replies: number };
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** The default site, the comment authors, and `readers` accounts with live sessions for posting. */
export async function seedPeople(store: Store, now: number, readers: number): Promise<Reader[]> {
  const origins = JSON.stringify(["https://news.example"]);
  // Posting is measured through every moderation phase except rate limits (issue 3's measurement).
  const settings = JSON.stringify({ moderation: { rateLimits: { enabled: false } } });
  await store.db
    .insertInto("sites")
    .values({ id: SITE_ID, name: "Default site", origins, settings, created_at: now })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  const users: Insertable<UsersTable>[] = [];
  for (let i = 0; i < AUTHORS + readers; i++) {
    users.push({
      id: `u${String(i).padStart(6, "0")}`,
      email: null,
      password_hash: null,
      display_name: i < AUTHORS ? `Reader ${i + 1}` : `Bench poster ${i - AUTHORS + 1}`,
      role: i % 97 === 0 ? "staff" : "commenter",
      status: "active",
      suspended_until: null,
      created_at: now - 400 * 24 * 3600_000 + i * 60_000,
    });
  }
  await store.db.transaction().execute((trx) => insertChunked(users, (c) => trx.insertInto("users").values(c).execute()));
  const sessions = users.slice(AUTHORS).map((u, i) => ({ user: u.id, id: `s${i}`, token: randomBytes(32).toString("base64url") }));
  const rows = sessions.map((s) => ({
    id: s.id,
    user_id: s.user,
    token_hash: hashToken(s.token),
    created_at: now,
    expires_at: now + 30 * 24 * 3600_000,
    last_seen_at: now,
  }));
  await store.db.transaction().execute((trx) => insertChunked(rows, (c) => trx.insertInto("sessions").values(c).execute()));
  return sessions.map((s) => ({ id: s.user, token: s.token }));
}

/** One story with `size` comments spread over the hours before `now`. */
export async function seedStory(store: Store, options: { now: number; size: number; seed: number }): Promise<SeededStory> {
  const { now, size } = options;
  const rand = random(options.seed);
  const storyId = `bench-story-${size}`;
  const start = now - size * 1_500;
  await store.db
    .insertInto("stories")
    .values({
      id: storyId,
      site_id: SITE_ID,
      url: `https://news.example/bench/${size}`,
      title: `A story with ${size} comments`,
      author: "Bench desk",
      published_at: start,
      body_text: null,
      status: "open",
      premod: 0,
      comment_count: size,
      created_at: start,
      updated_at: start,
    })
    .execute();
  let time = start;
  const ids = timeOrderedIds({ now: () => time });
  const rows: (NewComment & { reply_count: number; depth: number })[] = [];
  for (let i = 0; i < size; i++) {
    time += 1 + Math.floor(rand() * 2_000);
    // Replies answer something recent, as they do in a live thread; any depth.
    const parent = i > 0 && rand() < REPLY_SHARE ? rows[Math.max(0, i - 1 - Math.floor(rand() * 500))] : undefined;
    if (parent) parent.reply_count += 1;
    const likes = Math.floor(Math.exp(rand() * rand() * 6)) - 1;
    const text = body(rand);
    rows.push({
      id: ids.next(),
      site_id: SITE_ID,
      story_id: storyId,
      parent_id: parent?.id ?? null,
      depth: parent ? parent.depth + 1 : 0,
      author_id: `u${String(Math.floor(rand() * AUTHORS)).padStart(6, "0")}`,
      body: text.body,
      body_html: text.html,
      quote: null,
      status: "published",
      reply_count: 0,
      reaction_count: likes,
      reactions: likes > 0 ? JSON.stringify({ like: likes }) : "{}",
      // What the moderation pipeline stores with every comment, so rows weigh what real ones do.
      scores: SCORES,
      reasons: "[]",
      text_hash: createHash("sha256").update(text.body).digest("hex"),
      minhash: signature(rand),
      ip_hash: createHash("sha256").update(`ip${i % 5000}`).digest("hex").slice(0, 32),
      created_at: time,
      edited_at: null,
    });
  }
  await store.db.transaction().execute((trx) => insertChunked(rows, (c) => trx.insertInto("comments").values(c).execute()));
  const busiest = rows.reduce((a, b) => (b.reply_count > a.reply_count ? b : a), rows[0]);
  return { id: storyId, size, busiestParent: { id: busiest.id, replies: busiest.reply_count } };
}

/** Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would keep them. */
export async function analyze(store: Store): Promise<void> {
  await sql`analyze`.execute(store.db);
}

const VOCABULARY = (
  "council vote bus lanes close mayor budget cover repairs bridge winter residents asked why report " +
  "took long figures transport office fewer cars centre spring shop owners worry deliveries parking " +
  "cost permits vans school teachers parents classroom heating bills energy prices rose sharply families " +
  "struggle pay rent landlord tenants housing association waiting list doctor surgery appointments nurses " +
  "hospital ward closed weekend ambulance response times police station opening hours library volunteers " +
  "park playground football club pitch flooded river bank walls engineers survey railway station trains " +
  "cancelled timetable commuters strike union talks wages inflation savings pension interest rates bank " +
  "branch village post office broadband signal farmers harvest weather drought water company leak pipes " +
  "reservoir recycling bins collection fortnightly market traders stall fees festival tourism hotel visitors"
).split(" ");
const SITES = ["news.example", "gov.example.org", "stats.example.net", "archive.example.com", "blog.example.io"];

/**
 * A reader's Markdown comment of 50–600 characters, unique per `n`: prose with some emphasis,
 * sometimes a list or a quote, and in one comment of four a link (inline or bare), as real
 * threads mix them. The vocabulary is wide enough that two comments are never near copies.
 */
export function markdownBody(rand: () => number, n: number): string {
  const target = 50 + Math.floor(rand() * 551);
  const pick = () => VOCABULARY[Math.floor(rand() * VOCABULARY.length)];
  let text = `Comment ${n}:`;
  const link = rand() < 0.25;
  const linkAt = link ? Math.floor(rand() * target * 0.8) : -1;
  while (text.length < target) {
    if (linkAt >= 0 && text.length >= linkAt && !text.includes("http")) {
      const url = `https://${SITES[Math.floor(rand() * SITES.length)]}/${pick()}/${n}`;
      text += rand() < 0.5 ? ` [${pick()} ${pick()}](${url})` : ` ${url}`;
      continue;
    }
    const r = rand();
    if (r < 0.04) text += ` **${pick()} ${pick()}**`;
    else if (r < 0.08) text += ` *${pick()}*`;
    else if (r < 0.1) text += `\n\n- ${pick()} ${pick()}\n- ${pick()} ${pick()}\n\n`;
    else if (r < 0.11) text += `\n\n> ${pick()} ${pick()} ${pick()}\n\n`;
    else text += ` ${pick()}`;
    if (rand() < 0.08) text += ".";
  }
  return `${text.trim()}.`;
}
