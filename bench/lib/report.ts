import type { LoadResult } from "./load.js";

export type RowKind =
  | "ceiling"
  | "first-page"
  | "first-page-compressed"
  | "first-page-trusted"
  | "first-page-signed-in"
  | "replies"
  | "post"
  | "post-realistic";

export interface Row extends LoadResult {
  name: string;
  kind: RowKind;
  /** Comments in the story the row reads or writes. */
  size?: number;
  sort?: "newest" | "top";
  /** Concurrent connections of the load generator. */
  connections?: number;
  /** The ceiling's requests/s in a short run just before this row, and this row's share of it. */
  ceilingRps?: number;
  ofCeiling?: number;
  /** Share of the row's requests the page cache answered. */
  cacheHits?: number;
  /** The server's CPU time per answered request during the row (ms): steadier than req/s on a shared machine. */
  cpuMsPerRequest?: number;
  /** The server's resident memory right after the row (of its largest worker, with workers). */
  rssMB?: number;
  /** PARLEY_WORKERS of the server the row loaded (1: one process). */
  workers?: number;
  /** The machine's one-minute load average when the row ended (it is shared: read the rows against it). */
  loadAverage?: number;
}

export interface Target {
  name: string;
  goal: string;
  reached: string;
  met: boolean;
}

export interface DialectResult {
  dialect: string;
  ceilingRps: number;
  rows: Row[];
  /** After the rows (the target), and after the extra rows that follow them. */
  memory: { rssMB: number; peakMB: number };
  memoryAtExit: { rssMB: number; peakMB: number };
  /** With workers: each process's memory after their posting rows. */
  workersMemory?: { workers: number; processes: { pid: number; role: string; rssMB: number; peakMB: number }[] };
  targets: Target[];
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The targets, judged on one dialect's rows. */
export function judge(
  dialect: string,
  rows: Row[],
  memory: DialectResult["memory"],
  workersMemory?: DialectResult["workersMemory"],
): Target[] {
  const pages = rows.filter((r) => r.kind === "first-page");
  const targets: Target[] = [];
  if (pages.length > 0) {
    const worstP99 = Math.max(...pages.map((r) => r.p99));
    targets.push({ name: "first page p99", goal: "≤ 10 ms", reached: `${worstP99} ms (worst row)`, met: worstP99 <= 10 });
    const worstShare = Math.min(...pages.map((r) => r.ofCeiling ?? 0));
    targets.push({
      name: "first page vs ceiling",
      goal: "≥ 40% of the ceiling's req/s",
      reached: `${fmt(worstShare * 100)}% (worst row)`,
      met: worstShare >= 0.4,
    });
  }
  const sizes = [...new Set(rows.map((r) => r.size ?? 0))].filter((s) => s > 0);
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  let worstRatio = 0;
  for (const kind of ["first-page", "first-page-signed-in"] as const) {
    for (const sort of ["newest", "top"] as const) {
      const a = rows.find((r) => r.kind === kind && r.sort === sort && r.size === small);
      const b = rows.find((r) => r.kind === kind && r.sort === sort && r.size === large);
      if (a && b && b.requestsPerSecond > 0) worstRatio = Math.max(worstRatio, a.requestsPerSecond / b.requestsPerSecond);
    }
  }
  if (worstRatio > 0 && large > small) {
    targets.push({
      name: `${fmt(large)} vs ${fmt(small)} comments`,
      goal: "within 1.5× (req/s)",
      reached: `${fmt(worstRatio, 2)}× (worst pair)`,
      met: worstRatio <= 1.5,
    });
  }
  for (const post of rows.filter((r) => r.kind === "post" || r.kind === "post-realistic")) {
    const workers = post.workers && post.workers > 1 ? `, ${post.workers} workers` : "";
    targets.push({
      name: `${post.kind === "post" ? "posting" : "posting, realistic load"}${workers}`,
      goal: dialect === "sqlite" ? "≥ 1,000 comments/s" : "≥ 1,000 comments/s (stated for SQLite)",
      reached: `${fmt(post.requestsPerSecond)} comments/s`,
      met: post.requestsPerSecond >= 1000,
    });
  }
  targets.push({
    name: "server RSS at the end (after posting)",
    goal: "≤ 150 MB",
    reached: `${memory.rssMB} MB (peak ${memory.peakMB} MB)`,
    met: memory.rssMB <= 150,
  });
  if (workersMemory) {
    const largest = Math.max(...workersMemory.processes.map((p) => p.rssMB));
    targets.push({
      name: `RSS per process after posting, ${workersMemory.workers} workers`,
      goal: "≤ 150 MB",
      reached: workersMemory.processes.map((p) => `${p.role} ${p.rssMB} MB`).join(", "),
      met: largest <= 150,
    });
  }
  return targets;
}

/** A Markdown table, so it can be pasted into the README as it is. */
export function table(results: DialectResult[]): string {
  const lines = [
    "| dialect | row | req/s | ceiling req/s | of ceiling | p50 ms | p99 ms | max ms | cache hits | failed | CPU ms/req | RSS MB | load avg |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const d of results) {
    for (const r of d.rows) {
      const share = r.ofCeiling === undefined ? "" : `${fmt(r.ofCeiling * 100)}%`;
      const hits = r.cacheHits === undefined ? "" : `${fmt(r.cacheHits * 100, 1)}%`;
      lines.push(
        `| ${d.dialect} | ${r.name} | ${fmt(r.requestsPerSecond)} | ${r.ceilingRps === undefined ? "" : fmt(r.ceilingRps)} | ${share} | ${r.p50} | ${r.p99} | ${r.max} | ${hits} | ${r.failures} | ${r.cpuMsPerRequest ?? ""} | ${r.rssMB ?? ""} | ${r.loadAverage ?? ""} |`,
      );
    }
  }
  lines.push("", "| dialect | target | goal | reached | met |", "| --- | --- | --- | --- | --- |");
  for (const d of results) {
    for (const t of d.targets) lines.push(`| ${d.dialect} | ${t.name} | ${t.goal} | ${t.reached} | ${t.met ? "yes" : "**no**"} |`);
  }
  return lines.join("\n");
}
