/**
 * Summarises a V8 CPU profile (`--cpu-prof`) of the bench server: self time by where the code
 * lives (Parley's modules, each dependency, Node internals, GC), the functions with the most
 * self time, and the inclusive time of the functions named on the command line.
 *
 *   npx tsx bench/profile.ts FILE.cpuprofile [--top 30] [--inclusive name,name,...]
 *
 * Times are shares of the samples taken; `(idle)` is time the process waited.
 */
import { readFileSync } from "node:fs";

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error("usage: bench/profile.ts FILE.cpuprofile [--top N] [--inclusive a,b]");
const option = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const top = Number(option("top") ?? 30);
const inclusiveNames = option("inclusive")?.split(",") ?? [];

const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Where a frame's code lives: a package, a Parley folder, Node, or V8's own pseudo-frames. */
function place(frame: Frame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return "node internals";
  const own = /\/(src|bench)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2].replace(/\.[jt]s$/, "")}`;
  return url;
}

const self = new Map<string, number>();
const selfFn = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const leaf = byId.get(profile.samples[i]);
  if (!leaf) continue;
  const where = place(leaf.callFrame);
  self.set(where, (self.get(where) ?? 0) + dt);
  const fn = `${leaf.callFrame.functionName || "(anonymous)"} ${where}:${leaf.callFrame.lineNumber + 1}`;
  selfFn.set(fn, (selfFn.get(fn) ?? 0) + dt);
  if (inclusiveNames.length === 0) continue;
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const name = byId.get(id)?.callFrame.functionName ?? "";
    if (inclusiveNames.includes(name) && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  }
}

const busy = total - (self.get("(idle)") ?? 0);
const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)}%`;
const ms = (t: number) => `${Math.round(t / 1000)} ms`.padStart(9);
const print = (title: string, entries: Map<string, number>, limit: number) => {
  process.stdout.write(`\n${title} (share of ${Math.round(busy / 1000)} ms busy)\n`);
  for (const [name, t] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    if (name === "(idle)") continue;
    process.stdout.write(`${pct(t)} ${ms(t)}  ${name}\n`);
  }
};
process.stdout.write(`${file}: ${Math.round(total / 1000)} ms sampled, ${Math.round(busy / 1000)} ms busy\n`);
print("self time by place", self, top);
print("self time by function", selfFn, top);
if (inclusiveNames.length > 0) print("inclusive time", inclusive, inclusiveNames.length);
