import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../config.js";
import { systemClock, timeOrderedIds } from "../context.js";
import { insertSiteOnce } from "../site/store.js";
import { type Store, openStore } from "../store/db.js";
import { BackupError, backupSqlite, restoreSqlite, sqliteFile } from "./backup.js";
import { exportAll } from "./export.js";
import { IMPORT_FORMATS, type ImportFormat, UnknownSiteError, runImport } from "./importer.js";
import type { PortabilityDeps } from "./ingest.js";
import { ExportVersionError } from "./json-import.js";
import { progressPrinter } from "./progress.js";
import { formatSummary } from "./report.js";
import { TextSource } from "./source.js";

export const PORTABILITY_USAGE = `  import disqus|wordpress|json FILE [--site ID]
                                           import a Disqus export, a WordPress WXR file or a Parley export
  export [--site ID] > FILE.jsonl          write everything (or one site) as JSON lines
  backup FILE                              copy the live SQLite database to FILE (safe while serving)
  restore FILE                             restore a SQLite backup (stop Parley first)`;

export interface CliIo {
  /** Lines for the person at the terminal (summaries, errors). */
  out(line: string): void;
  /** The data stream `export` writes to; stdout by default. */
  data?: { write(chunk: string): boolean; once(event: "drain", listener: () => void): unknown };
  /** Where progress goes; stderr by default. */
  progress?: { isTTY?: boolean; write(text: string): unknown };
}

async function withStore<T>(config: Config, work: (deps: PortabilityDeps) => Promise<T>): Promise<T> {
  const store: Store = await openStore(config.databaseUrl);
  try {
    return await work({ config, store, clock: systemClock, ids: timeOrderedIds(systemClock) });
  } finally {
    await store.close();
  }
}

/** The default site exists once Parley has started; an import into a new database creates it. */
async function ensureSite(deps: PortabilityDeps, siteId: string): Promise<void> {
  if (siteId !== "default") return;
  await insertSiteOnce(deps.store.db, {
    id: "default",
    name: "Default site",
    origins: [...new Set([deps.config.publicUrl, ...deps.config.allowedOrigins])],
    now: deps.clock.now(),
  });
}

/** Writes to a stream, waiting when it is full so a large export never piles up in memory. */
function writer(data: NonNullable<CliIo["data"]>) {
  let buffer = "";
  const push = async (chunk: string) => {
    if (!data.write(chunk)) await new Promise<void>((resolve) => data.once("drain", resolve));
  };
  return {
    async line(text: string) {
      buffer += `${text}\n`;
      if (buffer.length >= 64 * 1024) {
        const chunk = buffer;
        buffer = "";
        await push(chunk);
      }
    },
    async flush() {
      if (buffer) await push(buffer);
      buffer = "";
    },
  };
}

/**
 * `parley import|export|backup|restore`. Returns the exit code, or undefined when the
 * command is not one of these.
 */
export async function runPortability(argv: string[], io: CliIo, given?: Config): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (!["import", "export", "backup", "restore"].includes(command)) return undefined;
  const config = given ?? loadConfig();
  const { values, positionals } = parseArgs({ args: rest, options: { site: { type: "string" } }, allowPositionals: true });
  try {
    if (command === "import") {
      const [format, file] = positionals;
      if (!IMPORT_FORMATS.includes(format as ImportFormat) || !file) {
        io.out(`usage: parley import ${IMPORT_FORMATS.join("|")} FILE [--site ID]`);
        return 2;
      }
      const siteId = values.site ?? "default";
      const summary = await withStore(config, async (deps) => {
        if (format !== "json") await ensureSite(deps, siteId);
        const bar = progressPrinter(io.progress ?? process.stderr, `import ${format}`);
        try {
          return await runImport(deps, { format: format as ImportFormat, source: TextSource.fromFile(file), siteId, record: format !== "json", onProgress: bar.update });
        } finally {
          bar.done();
        }
      });
      for (const line of formatSummary(summary)) io.out(line);
      return 0;
    }
    if (command === "export") {
      const out = writer(io.data ?? process.stdout);
      const { counts } = await withStore(config, (deps) => exportAll(deps.store, out.line, { site: values.site ?? null }));
      await out.flush();
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      (io.progress ?? process.stderr).write(`exported ${total.toLocaleString("en")} rows\n`);
      return 0;
    }
    const [file] = positionals;
    if (!file) {
      io.out(`usage: parley ${command} FILE`);
      return 2;
    }
    const database = sqliteFile(config.databaseUrl);
    if (command === "backup") {
      const { pages } = await backupSqlite(database, file);
      io.out(`backed up ${database} to ${file} (${pages} pages)`);
    } else {
      const { pages } = await restoreSqlite(file, database);
      io.out(`restored ${file} to ${database} (${pages} pages)`);
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof ExportVersionError || error instanceof UnknownSiteError) {
      io.out(`parley ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
