/**
 * Loaders for the training sets added later (jigsaw-train-sample, HateXplain, ConvAbuse,
 * ToxiGen seeds). HateCheck is never loaded here: it is a diagnostic suite only.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadWikipedia, parseCsv } from "./data.js";

/** The key two texts share when they are the same comment (as the data README defines it). */
function sameTextKeys(text: string): string[] {
  const spaced = text.toLowerCase().replace(/\s+/g, " ").trim();
  const letters = text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  return letters.length >= 20 ? [`s:${spaced}`, `l:${letters}`] : [`s:${spaced}`];
}

/**
 * The Wikipedia evaluation file's texts, for removing any training row that repeats one:
 * the test file and Jigsaw's train set share their source.
 */
export function wikipediaTestKeys(dir: string): Set<string> {
  return new Set(loadWikipedia(dir).flatMap((r) => sameTextKeys(r.text)));
}
export function repeatsTest(text: string, keys: Set<string>): boolean {
  return sameTextKeys(text).some((k) => keys.has(k));
}

export interface JigsawRow {
  text: string;
  toxic: number;
  id: string;
}
/** Wikipedia talk comments with Jigsaw's `toxic` label; rows repeating the test file are dropped. */
export function loadJigsawSample(dir: string): JigsawRow[] {
  const keys = wikipediaTestKeys(dir);
  return parseCsv(readFileSync(join(dir, "jigsaw-train-sample/train.csv"), "utf8"))
    .filter((r) => !repeatsTest(r.comment_text, keys))
    .map((r) => ({ text: r.comment_text, toxic: Number(r.labels), id: `${r.source_file}:${r.source_row}` }));
}

export interface HateXplainRow {
  text: string;
  /** 0 normal, 1 hate speech, 2 offensive, 3 no majority. */
  category: number;
  id: string;
  split: "train" | "val" | "test";
}
export function loadHateXplain(dir: string): HateXplainRow[] {
  const divisions = JSON.parse(readFileSync(join(dir, "hatexplain/post_id_divisions.json"), "utf8")) as Record<
    string,
    string[]
  >;
  const split = new Map<string, HateXplainRow["split"]>();
  for (const [name, ids] of Object.entries(divisions))
    for (const id of ids) split.set(id, name === "test" ? "test" : name === "val" ? "val" : "train");
  // The post id is this copy's first, unnamed column (its `id` column is a row number).
  return parseCsv(readFileSync(join(dir, "hatexplain/092-HateXplain.csv"), "utf8")).flatMap((r) => {
    const id = r[""];
    const s = split.get(id);
    return s ? [{ text: r.text, category: Number(r.category), id, split: s }] : [];
  });
}

export interface ConvAbuseRow {
  text: string;
  /** The agent's turn the user answered, then the user's turn before it. */
  context: string[];
  abusive: number;
  id: string;
  split: "train" | "valid" | "test";
}
/** A turn is abusive when most of its annotators rated it below 0 (-1 to -3). */
export function loadConvAbuse(dir: string): ConvAbuseRow[] {
  return (["train", "valid", "test"] as const).flatMap((split) =>
    parseCsv(readFileSync(join(dir, `convabuse/ConvAbuseEMNLP${split}.csv`), "utf8")).flatMap((r) => {
      let votes = 0;
      let negative = 0;
      for (let a = 1; a <= 8; a++)
        for (const v of ["1", "0", "-1", "-2", "-3"])
          if (r[`Annotator${a}_is_abuse.${v}`] === "1") {
            votes++;
            if (v.startsWith("-")) negative++;
          }
      if (votes === 0 || !r.user?.trim()) return [];
      return [
        {
          text: r.user,
          context: [r.agent, r.prev_user].filter((t) => t && t.trim()),
          abusive: negative * 2 > votes ? 1 : 0,
          id: `${r.conv_id}:${r.example_id}`,
          split,
        },
      ];
    }),
  );
}

export interface ToxigenRow {
  text: string;
  hate: number;
  group: string;
}
export function loadToxigenSeeds(dir: string): ToxigenRow[] {
  return parseCsv(readFileSync(join(dir, "toxigen-seeds/toxigen_seed_sentences.csv"), "utf8")).map((r) => ({
    text: r.text,
    hate: r.label === "hate" ? 1 : 0,
    group: r.target_group,
  }));
}
