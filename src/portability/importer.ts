import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { importDisqus } from "./disqus.js";
import type { PortabilityDeps } from "./ingest.js";
import { importJson } from "./json-import.js";
import { ImportReport, type ImportProgress, type ImportSummary } from "./report.js";
import type { TextSource } from "./source.js";
import { importWordpress } from "./wordpress.js";
import { finishImport, recordImport, saveImportProgress, siteExists } from "./store.js";

export const IMPORT_FORMATS = ["disqus", "wordpress", "json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export class UnknownSiteError extends Error {}

const PROGRESS_EVERY_MS = 500;

/**
 * Runs one import and records it in `imports` (status, progress, summary), which is what
 * the admin API reports. The file is read once, as a stream.
 */
export async function runImport(
  deps: PortabilityDeps,
  props: {
    format: ImportFormat;
    source: TextSource;
    siteId: string;
    importId?: string;
    createdBy?: string | null;
    /** Record the run in `imports` (default). The CLI's json import does not, so a round trip is exact. */
    record?: boolean;
    onProgress?: (progress: ImportProgress) => void;
  },
): Promise<ImportSummary> {
  const { format, source, siteId } = props;
  const db = deps.store.db;
  if (format !== "json") {
    if (!(await siteExists(db, siteId))) throw new UnknownSiteError(`There is no site "${siteId}".`);
  }
  const importId = props.importId ?? deps.ids.next();
  const now = deps.clock.now();
  const record = props.record ?? true;
  if (record)
    await recordImport(db, {
      id: importId,
      source: format,
      site_id: siteId,
      status: "running",
      progress: JSON.stringify(source.progress()),
      summary: null,
      error: null,
      created_by: props.createdBy ?? null,
      created_at: now,
      updated_at: now,
    });

  let last = 0;
  /**
   * Saves progress at most every PROGRESS_EVERY_MS. Disqus and WordPress imports save it
   * inside each batch's transaction, so it costs no commit (no fsync) of its own.
   */
  const saveProgress = async (on: Kysely<Database>) => {
    const at = Date.now();
    if (!record || at - last < PROGRESS_EVERY_MS) return;
    last = at;
    await saveImportProgress(on, importId, JSON.stringify(source.progress()), deps.clock.now());
  };
  let saving: Promise<unknown> = Promise.resolve();
  const onProgress = () => props.onProgress?.(source.progress());
  const onJsonProgress = () => {
    onProgress();
    // progress is advisory; the final status write reports failures
    saving = saveProgress(db).catch(() => undefined);
  };
  const finish = async (status: "done" | "failed", summary: ImportSummary | null, error: string | null) => {
    await saving;
    if (record)
      await finishImport(db, importId, {
        status,
        progress: JSON.stringify(source.progress()),
        summary: summary && JSON.stringify(summary),
        error,
        now: deps.clock.now(),
      });
  };

  try {
    let summary: ImportSummary;
    if (format === "json") summary = await importJson(deps.store, source, onJsonProgress);
    else {
      const report = new ImportReport(format);
      const run = { siteId, importId, report, onProgress, saveProgress };
      if (format === "disqus") await importDisqus(deps, source, run);
      else await importWordpress(deps, source, run);
      summary = report.finish();
    }
    props.onProgress?.(source.progress());
    await finish("done", summary, null);
    return summary;
  } catch (error) {
    await finish("failed", null, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}
