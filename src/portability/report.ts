/** Where an import stands, for progress bars and the admin job's status. */
export interface ImportProgress {
  bytesRead: number;
  totalBytes: number | null;
  records: number;
}

/** What an import did, and every problem it met, counted by kind. */
export interface ImportSummary {
  source: string;
  added: Record<string, number>;
  existing: Record<string, number>;
  skipped: Record<string, number>;
  problems: Record<string, number>;
  /** One example (a record id and a line, never personal data) for each kind of problem. */
  examples: Record<string, string>;
  durationMs: number;
}

export class ImportReport {
  readonly summary: ImportSummary;
  private readonly started = Date.now();

  constructor(source: string) {
    this.summary = { source, added: {}, existing: {}, skipped: {}, problems: {}, examples: {}, durationMs: 0 };
  }

  added(kind: string, n = 1): void {
    bump(this.summary.added, kind, n);
  }

  existing(kind: string, n = 1): void {
    bump(this.summary.existing, kind, n);
  }

  /** A record deliberately left out (a pingback, a post in a deleted thread). */
  skipped(reason: string, n = 1): void {
    bump(this.summary.skipped, reason, n);
  }

  /** Damage in the file: counted, reported, never fatal for the rest. */
  problem(kind: string, example?: string, n = 1): void {
    bump(this.summary.problems, kind, n);
    if (example !== undefined && !(kind in this.summary.examples)) this.summary.examples[kind] = example.slice(0, 200);
  }

  finish(): ImportSummary {
    this.summary.durationMs = Date.now() - this.started;
    return this.summary;
  }
}

function bump(counts: Record<string, number>, key: string, n: number): void {
  if (n === 0) return;
  counts[key] = (counts[key] ?? 0) + n;
}

/** The summary as lines a person reads at the end of `parley import`. */
export function formatSummary(summary: ImportSummary): string[] {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${n.toLocaleString("en")} ${k}`)
      .join(", ") || "none";
  const lines = [
    `import from ${summary.source} finished in ${(summary.durationMs / 1000).toFixed(1)} s`,
    `  added:    ${list(summary.added)}`,
    `  existing: ${list(summary.existing)} (already imported or already here; left unchanged)`,
    `  skipped:  ${list(summary.skipped)}`,
    `  problems: ${list(summary.problems)}`,
  ];
  for (const [kind, example] of Object.entries(summary.examples)) lines.push(`    e.g. ${kind}: ${example}`);
  return lines;
}
