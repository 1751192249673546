import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import Fastify from "fastify";
import { repeatWhileOpen } from "./background.js";

/** Waits for a condition, up to 5 s: timers on a loaded machine fire late, never early. */
async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !condition() && Date.now() < deadline; ) await sleep(5);
}

describe("background work of an app", () => {
  it("repeats while the app is open and never after it closes", async () => {
    const app = Fastify({ logger: false });
    let runs = 0;
    repeatWhileOpen(app, "counting", 10, async () => {
      runs++;
    });
    await sleep(40);
    assert.equal(runs, 0, "nothing runs before the app is ready");
    await app.ready();
    await until(() => runs >= 2);
    assert.ok(runs >= 2, `ran ${runs} times`);
    await app.close();
    const atClose = runs;
    await sleep(50);
    assert.equal(runs, atClose);
  });

  it("runs one at a time, and closing waits for the run in flight", async () => {
    const app = Fastify({ logger: false });
    let active = 0;
    let overlapped = false;
    let finished = 0;
    repeatWhileOpen(app, "slow work", 5, async () => {
      active++;
      overlapped ||= active > 1;
      await sleep(40);
      active--;
      finished++;
    });
    await app.ready();
    await until(() => finished >= 1 && active === 1);
    await app.close();
    assert.equal(overlapped, false);
    assert.equal(active, 0, "close returned while a run was still going");
    assert.ok(finished >= 1);
  });

  it("logs a failed run and keeps going", async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: "warn", stream: { write: (line: string) => lines.push(line) } } });
    let runs = 0;
    repeatWhileOpen(app, "flaky work", 10, async () => {
      runs++;
      throw new Error("database away");
    });
    await app.ready();
    await until(() => runs >= 2);
    await app.close();
    assert.ok(runs >= 2, `ran ${runs} times`);
    const warning = JSON.parse(lines[0] ?? "{}") as { msg?: string; err?: { message?: string } };
    assert.equal(warning.msg, "flaky work failed");
    assert.equal(warning.err?.message, "database away");
  });
});
