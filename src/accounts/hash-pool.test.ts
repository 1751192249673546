import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashPoolPid, loaderFlags } from "./hash-pool.js";
import { hashPassword, verifyPassword } from "./passwords.js";

const COST = 1024;

describe("the password hashing pool", () => {
  it("hashes and verifies in its own process, however many ask at once", async () => {
    const passwords = Array.from({ length: 7 }, (_, i) => `correct horse ${i}`);
    const hashes = await Promise.all(passwords.map((p) => hashPassword(p, COST)));
    assert.ok(hashes.every((h) => h.startsWith("$argon2id$")));
    assert.notEqual(hashPoolPid(), undefined);
    assert.notEqual(hashPoolPid(), process.pid);
    const checks = await Promise.all(hashes.map((h, i) => verifyPassword(h, passwords[(i + 1) % passwords.length])));
    assert.deepEqual(
      checks,
      passwords.map(() => false),
    );
    assert.equal(await verifyPassword(hashes[3], passwords[3]), true);
  });

  it("refuses a malformed hash instead of failing, and recovers when its process dies", async () => {
    assert.equal(await verifyPassword("not-a-hash", "anything"), false);
    const hash = await hashPassword("survives a crash", COST);
    const pid = hashPoolPid();
    assert.ok(pid);
    const slow = hashPassword("in flight when killed", 64 * 1024);
    process.kill(pid, "SIGKILL");
    await assert.rejects(slow, /password hashing process ended/);
    assert.equal(await verifyPassword(hash, "survives a crash"), true);
    assert.notEqual(hashPoolPid(), pid);
  });

  it("gives its process only the server's flags that load code, not its debugger, profiler or heap sizes", () => {
    const argv = [
      "--import",
      "tsx",
      "--inspect=9229",
      "--cpu-prof",
      "--max-semi-space-size=4",
      "--require=./x.cjs",
      "--input-type=module",
    ];
    assert.deepEqual(loaderFlags(argv), ["--import", "tsx", "--require=./x.cjs"]);
  });
});
