import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { sql } from "kysely";
import { ROOT } from "../../src/paths.js";
import type { Store } from "../../src/store/db.js";
import { freePort } from "../ports.js";


export interface ServerProcess {
  base: string;
  pid: number;
  /** SIGKILL: no shutdown hooks, no flushing; what a power cut does to the process. */
  kill(): Promise<void>;
}

/**
 * Starts the production launcher (src/main.ts) as a child process and waits until it listens.
 * It runs one process unless `env` sets PARLEY_WORKERS; in its own process group, so that a
 * kill reaches the primary and every worker at once, as a power cut would.
 */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, PARLEY_WORKERS: "1", ...env, PORT: String(port), HOST: "127.0.0.1", PARLEY_DEMO: "false", LOG_LEVEL: "silent" };
  // The server is not a test file: it must not think it runs under the test runner.
  delete childEnv.NODE_TEST_CONTEXT;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "main.ts")], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s: ${output}`)), 60_000);
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("Parley is running")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited while starting: ${output}`));
    });
  });
  const pid = child.pid as number;
  return {
    base: `http://127.0.0.1:${port}`,
    pid,
    async kill() {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // the group is gone already
      }
      await exited;
      // The workers too: none may still write when the next server opens the database.
      for (let i = 0; i < 200 && groupAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SQLite's own check of every page and index; "ok" or the problems it found. PostgreSQL has no equivalent without amcheck. */
export async function integrityCheck(store: Store): Promise<string> {
  if (store.dialect !== "sqlite") return "ok";
  const rows = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(store.db);
  return rows.rows.map((r) => r.integrity_check).join("; ");
}

/** Stored counts that differ from counts of the rows themselves: story comments, replies, reactions. */
export async function countMismatches(store: Store): Promise<string[]> {
  const db = store.db;
  const problems: string[] = [];
  const stories = await db.selectFrom("stories").select(["id", "comment_count"]).execute();
  const comments = await db.selectFrom("comments").select(["id", "story_id", "parent_id", "status", "reply_count", "reaction_count", "reactions"]).execute();
  const reactions = await db.selectFrom("reactions").selectAll().execute();
  for (const story of stories) {
    const real = comments.filter((c) => c.story_id === story.id && c.status === "published").length;
    if (Number(story.comment_count) !== real) problems.push(`story ${story.id}: ${story.comment_count} stored, ${real} real`);
  }
  for (const c of comments) {
    const replies = comments.filter((r) => r.parent_id === c.id && (r.status === "published" || r.status === "removed")).length;
    if (Number(c.reply_count) !== replies) problems.push(`comment ${c.id}: ${c.reply_count} replies stored, ${replies} real`);
    // Reactions still waiting for their author's first published comment do not count (src/reactions).
    const counted = reactions.filter((r) => r.comment_id === c.id && (r as { counted?: unknown }).counted !== 0 && (r as { counted?: unknown }).counted !== false);
    if (Number(c.reaction_count) !== counted.length) problems.push(`comment ${c.id}: ${c.reaction_count} reactions stored, ${counted.length} real`);
    const byKind: Record<string, number> = {};
    for (const r of counted) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    if (JSON.stringify(JSON.parse(c.reactions)) !== JSON.stringify(Object.fromEntries(Object.entries(byKind).sort()))) {
      problems.push(`comment ${c.id}: reactions ${c.reactions} stored, ${JSON.stringify(byKind)} real`);
    }
  }
  return problems;
}
