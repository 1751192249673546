/**
 * Loads the moderation datasets (../shared/data/moderation, never committed) into labelled
 * examples, with the fixed, seeded splits that both training and evaluation use.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { ScoreCategory } from "../types.js";

export type Labels = Partial<Record<ScoreCategory, number>>;
export interface Example {
  text: string;
  source: string;
  /** Examples sharing a group (a post, a thread, a video) stay on one side of a split. */
  group: string;
  labels: Labels;
  weight: number;
  /** Multiplies `weight` for one category only. */
  categoryWeight?: Partial<Record<ScoreCategory, number>>;
  /** What the comment answered: the parent comment, else the story's title. */
  context?: string;
}

export function defaultDataDir(): string | undefined {
  const named = process.env.PARLEY_SHARED_DIR ? [`${process.env.PARLEY_SHARED_DIR}/data/moderation`] : [];
  for (const dir of [...named, "../shared/data/moderation", "/work/shared/data/moderation"]) if (existsSync(dir)) return dir;
  return undefined;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows;
  return body.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, k) => [h, r[k]])));
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rand: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Deterministic membership of a group in the held-out share, independent of file order. */
export function inShare(group: string, seed: number, share: number): boolean {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < group.length; i++) h = Math.imul(h ^ group.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 10_000) / 10_000 < share;
}

export interface DavidsonRow {
  text: string;
  cls: number;
  test: boolean;
}
/** Stratified 80/20 split of Davidson by class with a seeded shuffle. */
export function loadDavidson(dir: string, seed: number): DavidsonRow[] {
  const rows = parseCsv(readFileSync(join(dir, "davidson/labeled_data.csv"), "utf8"));
  const out: DavidsonRow[] = rows.map((r) => ({ text: r.tweet, cls: Number(r.class), test: false }));
  const rand = mulberry32(seed);
  for (const cls of [0, 1, 2]) {
    const members = shuffle(
      out.filter((r) => r.cls === cls),
      rand,
    );
    for (let i = 0; i < Math.round(members.length * 0.2); i++) members[i].test = true;
  }
  return out;
}

export interface YoutubeRow {
  text: string;
  spam: number;
  video: string;
}
export function loadYoutube(dir: string): YoutubeRow[] {
  const folder = join(dir, "youtube-spam");
  return readdirSync(folder)
    .filter((f) => f.endsWith(".csv"))
    .sort()
    .flatMap((f) =>
      parseCsv(readFileSync(join(folder, f), "utf8")).map((r) => ({
        text: r.CONTENT,
        spam: Number(r.CLASS),
        video: f.replace(/\.csv$/, ""),
      })),
    );
}

export interface FoxRow {
  text: string;
  hateful: number;
  thread: string;
  /** The comment before it in the thread ("" for the first). */
  prev: string;
}
export function loadFox(dir: string): FoxRow[] {
  return readFileSync(join(dir, "fox-news-comments/fox-news-comments.json"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; label: number; title: string; prev?: string })
    .map((r) => ({ text: r.text, hateful: r.label, thread: r.title, prev: r.prev ?? "" })); // `user` dropped on purpose
}
/** Fox News threads held out from training: 3 of the 10, chosen by the seed. */
export function foxTestThreads(rows: FoxRow[], seed: number): Set<string> {
  const threads = [...new Set(rows.map((r) => r.thread))].sort();
  return new Set(shuffle(threads, mulberry32(seed + 1)).slice(0, 3));
}

export interface StormfrontRow {
  text: string;
  hate: number;
  post: string;
}
export function loadStormfront(dir: string): StormfrontRow[] {
  const labels = new Map(
    parseCsv(readFileSync(join(dir, "stormfront/annotations_metadata.csv"), "utf8")).map((r) => [r.file_id, r.label]),
  );
  return parseCsv(readFileSync(join(dir, "stormfront/sentences.csv"), "utf8")).flatMap((r) => {
    const label = labels.get(r.file_id);
    if (label !== "hate" && label !== "noHate" && label !== "relation") return [];
    return [{ text: r.text, hate: label === "noHate" ? 0 : 1, post: r.file_id.split("_")[0] }];
  });
}

export interface ToxicSpansRow {
  text: string;
  spans: number[];
  id: string;
}
export function loadToxicSpans(dir: string): ToxicSpansRow[] {
  const seen = new Set<string>();
  const out: ToxicSpansRow[] = [];
  for (const file of ["tsd_train.csv", "tsd_trial.csv", "tsd_test.csv"]) {
    parseCsv(readFileSync(join(dir, "toxic-spans", file), "utf8")).forEach((r, k) => {
      if (seen.has(r.text)) return; // 8 trial texts repeat train ones
      seen.add(r.text);
      out.push({ text: r.text, spans: JSON.parse(r.spans) as number[], id: `${file}:${k}` });
    });
  }
  return out;
}

export interface WikiRow {
  text: string;
  toxic: number;
}
export function loadWikipedia(dir: string): WikiRow[] {
  return parseCsv(readFileSync(join(dir, "jigsaw-bias-eval/toxicity_nonfuzzed_testset.csv"), "utf8")).map((r) => ({
    text: r.comment,
    toxic: r.toxic === "True" ? 1 : 0,
  }));
}

export interface TemplateRow {
  text: string;
  toxic: number;
  template: string;
}
export function loadTemplates(dir: string): TemplateRow[] {
  return parseCsv(readFileSync(join(dir, "jigsaw-bias-eval/en_sentence_templates.csv"), "utf8")).map((r) => ({
    text: r.phrase,
    toxic: r.toxicity === "toxic" ? 1 : 0,
    template: r.template,
  }));
}

/** Sentences with their offsets; a toxic-spans comment is split to find span-free ones. */
export function sentences(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(/[^.!?\n]+(?:[.!?]+|\n|$)/g)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body.length > 0) out.push({ start: m.index + lead, end: m.index + lead + body.length });
  }
  return out;
}
