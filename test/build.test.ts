import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");

/** What `npm run build` compiles: the project's own files of `tsc -p tsconfig.build.json`. */
function buildFiles(): string[] {
  const out = execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--listFilesOnly"],
    { cwd: ROOT, encoding: "utf8" },
  );
  return out
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.includes("/node_modules/"))
    .map((file) => relative(ROOT, file).split("\\").join("/"));
}

/**
 * The production processes: the server, the outbox worker without HTTP, the `parley` command,
 * and the password-hashing child the server spawns (`hash-pool.ts`).
 */
const ENTRY_POINTS = [
  "src/main.ts",
  "src/notifications/worker-main.ts",
  "src/cli/bin.ts",
  "src/accounts/hash-worker.ts",
];

const SPECIFIERS =
  /(?:^|[\s;])(?:import|export)\s(?:[^"';]*?\sfrom\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|new URL\(\s*["'](\.[^"']+\.js)["'],\s*import\.meta\.url/g;

function specifiers(file: string): string[] {
  const source = readFileSync(join(ROOT, file), "utf8");
  return [...source.matchAll(SPECIFIERS)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** A relative specifier as the project file it names (`.js` written for `.ts`, as NodeNext wants). */
function resolveLocal(from: string, specifier: string, known: Set<string>): string | undefined {
  const base = normalize(join(dirname(from), specifier))
    .split("\\")
    .join("/");
  const candidates = [base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".tsx"), base];
  return candidates.find((c) => known.has(c));
}

const packageName = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const isBuiltin = (specifier: string) =>
  specifier.startsWith("node:") || builtinModules.includes(packageName(specifier));

describe("the production build (tsconfig.build.json)", () => {
  const files = buildFiles();
  const known = new Set(files);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it("compiles the server's sources", () => {
    for (const entry of ENTRY_POINTS) assert.ok(known.has(entry), `${entry} is not in the build`);
  });

  it("holds no test, test helper, simulation, training or evaluation file", () => {
    const suspicious = files.filter((f) =>
      /\.test\.tsx?$|(^|\/)(testing|fixtures?|train|mocks?)(\/|\.tsx?$)|simulat|evaluat|baselines|contract-server|scratch/.test(
        f,
      ),
    );
    assert.deepEqual(suspicious, []);
  });

  it("imports nothing from the development dependencies, and only declared packages", () => {
    const wrong: string[] = [];
    for (const file of files) {
      for (const specifier of specifiers(file)) {
        if (specifier.startsWith(".") || isBuiltin(specifier)) continue;
        const name = packageName(specifier);
        if (name in pkg.devDependencies) wrong.push(`${file} imports the development dependency ${name}`);
        else if (!(name in pkg.dependencies)) wrong.push(`${file} imports ${name}, which package.json does not list`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("holds only what the server, the worker and the command reach from their entry points", () => {
    const reached = new Set<string>();
    const stack = [...ENTRY_POINTS];
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (reached.has(file)) continue;
      reached.add(file);
      for (const specifier of specifiers(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = resolveLocal(file, specifier, known);
        if (target) stack.push(target);
        else if (!/\.(json|txt|bin)$/.test(specifier))
          assert.fail(`${file} imports ${specifier}, which is not in the build`);
      }
    }
    assert.deepEqual(
      files.filter((f) => !reached.has(f)),
      [],
      "files only tests, scripts or benchmarks use belong in test/, scripts/ or bench/",
    );
  });

  it("reaches none of test/, scripts/ or bench/", () => {
    assert.deepEqual(
      files.filter((f) => !f.startsWith("src/")),
      [],
    );
  });
});
