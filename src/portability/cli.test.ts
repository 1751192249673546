import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadConfig } from "../config.js";
import { runPortability } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "parley-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const fixture = join(import.meta.dirname, "../../test/fixtures/imports/disqus-damaged.xml");

function io() {
  const lines: string[] = [];
  const progress: string[] = [];
  let data = "";
  return {
    lines,
    progress,
    data: () => data,
    io: {
      out: (line: string) => void lines.push(line),
      progress: { isTTY: false, write: (text: string) => void progress.push(text) },
      data: { write: (chunk: string) => ((data += chunk), true), once: () => undefined },
    },
  };
}

const configFor = (name: string) =>
  loadConfig({ DATABASE_URL: `sqlite:${join(dir, name)}`, LOG_LEVEL: "silent", PUBLIC_URL: "http://parley.test" });

describe("parley import, export, backup and restore", () => {
  it("imports with progress lines and a summary, exports, and loads the export elsewhere", async () => {
    const first = io();
    assert.equal(await runPortability(["import", "disqus", fixture], first.io, configFor("a.db")), 0);
    assert.ok(first.progress.some((p) => /^import disqus: 100%/.test(p)), "plain progress lines off a terminal");
    assert.ok(first.lines[0].startsWith("import from disqus finished"));
    assert.ok(first.lines.some((l) => /added: .*comments/.test(l)));

    const exported = io();
    assert.equal(await runPortability(["export"], exported.io, configFor("a.db")), 0);
    const file = join(dir, "export.jsonl");
    writeFileSync(file, exported.data());
    assert.match(exported.data().split("\n")[0], /"format":"parley-export"/);

    const loaded = io();
    assert.equal(await runPortability(["import", "json", file], loaded.io, configFor("b.db")), 0);
    const again = io();
    assert.equal(await runPortability(["export"], again.io, configFor("b.db")), 0);
    const rows = (text: string) => text.trim().split("\n").slice(1);
    assert.deepEqual(rows(again.data()), rows(exported.data()));
  });

  it("backs up and restores through the CLI, and refuses bad arguments", async () => {
    const out = io();
    const backup = join(dir, "backup.db");
    assert.equal(await runPortability(["backup", backup], out.io, configFor("a.db")), 0);
    assert.ok(existsSync(backup));
    assert.equal(await runPortability(["backup", backup], out.io, configFor("a.db")), 1, "never overwrites a file");
    assert.equal(await runPortability(["restore", backup], out.io, configFor("c.db")), 0);
    assert.equal(await runPortability(["import", "isso", fixture], out.io, configFor("a.db")), 2);
    assert.equal(await runPortability(["migrate"], out.io, configFor("a.db")), undefined);
    const pg = loadConfig({ DATABASE_URL: "postgres://127.0.0.1/none", LOG_LEVEL: "silent" });
    assert.equal(await runPortability(["backup", backup], out.io, pg), 1);
    assert.match(out.lines.at(-1) ?? "", /pg_dump/);
  });
});
