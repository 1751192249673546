import type { ImportProgress } from "./report.js";

interface Output {
  isTTY?: boolean;
  write(text: string): unknown;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Import progress on stderr: a bar redrawn in place on a terminal, and otherwise (a log,
 * a CI job) one plain line per tenth of the file, so logs stay short.
 */
export function progressPrinter(output: Output, label: string) {
  let lastDraw = 0;
  let lastTenth = -1;
  let drawn = false;
  const describe = (p: ImportProgress) => {
    const share = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    const size = p.totalBytes ? `${mb(p.bytesRead)} / ${mb(p.totalBytes)}` : mb(p.bytesRead);
    return { share, text: `${Math.round(share * 100)}%  ${size}  ${p.records.toLocaleString("en")} records` };
  };
  return {
    update(progress: ImportProgress) {
      const { share, text } = describe(progress);
      if (output.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && share < 1) return;
        lastDraw = now;
        const width = 30;
        const full = Math.round(share * width);
        output.write(`\r${label} [${"#".repeat(full)}${".".repeat(width - full)}] ${text}\x1b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      output.write(`${label}: ${text}\n`);
    },
    done() {
      if (drawn) output.write("\n");
    },
  };
}
