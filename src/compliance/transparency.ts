import type { Deps } from "../deps.js";
import { decisionTimes } from "../moderation/store.js";
import { percentile } from "../shared/percentile.js";
import { REPORT_SAMPLE, appealsIn, noticesIn, reportsReceived, statementCounts } from "./store.js";

const seconds = (rows: { created_at: number; decided_at: number | null }[]) =>
  rows.filter((r) => r.decided_at !== null).map((r) => Math.max(0, Math.round((Number(r.decided_at) - Number(r.created_at)) / 1000)));

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

/**
 * The transparency report (EU DSA Art. 15 and 24) of some sites over `[from, to)`: notices and
 * reports received, decisions (statements of reasons) by ground and reason, the share in which
 * automated means took part, median and 90th-percentile time to decision (moderators' decisions
 * on comments, and notices), appeals and reversals.
 */
export async function transparencyReport(deps: Deps, q: { siteIds: string[] | null; from: number; to: number }) {
  const db = deps.store.read;
  const [notices, reports, statements, decisions, appeals] = await Promise.all([
    noticesIn(db, q),
    reportsReceived(db, q),
    statementCounts(db, q),
    decisionTimes(db, q),
    appealsIn(db, q),
  ]);
  const count = <T>(rows: T[], test: (row: T) => boolean) => rows.filter(test).length;
  const decidedNotices = seconds(notices);
  const totalStatements = statements.reduce((n, s) => n + s.n, 0);
  const automated = statements.filter((s) => s.automated).reduce((n, s) => n + s.n, 0);
  const byReason = new Map<string, { ground: "illegal" | "terms"; reason: string; count: number; automated: number }>();
  for (const s of statements) {
    const key = `${s.ground}:${s.reason}`;
    const entry = byReason.get(key) ?? { ground: s.ground, reason: s.reason, count: 0, automated: 0 };
    entry.count += s.n;
    if (s.automated) entry.automated += s.n;
    byReason.set(key, entry);
  }
  const waited = decisions.map((d) => d.seconds);
  return {
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    notices: {
      received: notices.length,
      actioned: count(notices, (n) => n.status === "actioned"),
      dismissed: count(notices, (n) => n.status === "dismissed"),
      withdrawn: count(notices, (n) => n.status === "withdrawn"),
      open: count(notices, (n) => n.status === "open"),
      medianSecondsToDecision: percentile(decidedNotices, 50),
      p90SecondsToDecision: percentile(decidedNotices, 90),
    },
    reports: { received: reports },
    decisions: {
      statements: totalStatements,
      byGround: {
        illegal: statements.filter((s) => s.ground === "illegal").reduce((n, s) => n + s.n, 0),
        terms: statements.filter((s) => s.ground === "terms").reduce((n, s) => n + s.n, 0),
      },
      byReason: [...byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      automated,
      automatedShare: share(automated, totalStatements),
      moderatorDecisions: decisions.length,
      medianSecondsToDecision: percentile(waited, 50),
      p90SecondsToDecision: percentile(waited, 90),
    },
    appeals: {
      received: appeals.length,
      upheld: count(appeals, (a) => a.status === "upheld"),
      reversed: count(appeals, (a) => a.status === "reversed"),
      open: count(appeals, (a) => a.status === "open"),
      medianSecondsToDecision: percentile(seconds(appeals), 50),
    },
    sampled: notices.length >= REPORT_SAMPLE || appeals.length >= REPORT_SAMPLE || decisions.length >= REPORT_SAMPLE,
  };
}

export type TransparencyReport = Awaited<ReturnType<typeof transparencyReport>>;

/** The report as CSV: one `section,metric,ground,reason,value` row per number (RFC 4180 quoting). */
export function transparencyCsv(report: TransparencyReport): string {
  const cell = (v: string | number | null) => {
    const text = v === null ? "" : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows: (string | number | null)[][] = [["section", "metric", "ground", "reason", "value"]];
  rows.push(["period", "from", "", "", report.from], ["period", "to", "", "", report.to]);
  for (const [metric, value] of Object.entries(report.notices)) rows.push(["notices", metric, "", "", value]);
  rows.push(["reports", "received", "", "", report.reports.received]);
  const d = report.decisions;
  rows.push(["decisions", "statements", "", "", d.statements]);
  rows.push(["decisions", "by ground", "illegal", "", d.byGround.illegal], ["decisions", "by ground", "terms", "", d.byGround.terms]);
  for (const r of d.byReason) rows.push(["decisions", "by reason", r.ground, r.reason, r.count], ["decisions", "automated by reason", r.ground, r.reason, r.automated]);
  rows.push(
    ["decisions", "automated", "", "", d.automated],
    ["decisions", "automatedShare", "", "", d.automatedShare],
    ["decisions", "moderatorDecisions", "", "", d.moderatorDecisions],
    ["decisions", "medianSecondsToDecision", "", "", d.medianSecondsToDecision],
    ["decisions", "p90SecondsToDecision", "", "", d.p90SecondsToDecision],
  );
  for (const [metric, value] of Object.entries(report.appeals)) rows.push(["appeals", metric, "", "", value]);
  rows.push(["report", "sampled", "", "", report.sampled ? "yes" : "no"]);
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}
