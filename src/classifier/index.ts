/**
 * Parley's local scorer: in-process, CPU only, no network, weights trained here by
 * scripts/train-classifier.ts and committed in ./model/.
 */
import { readFileSync } from "node:fs";
import { LinearModel, type ModelHeader } from "./model.js";
import type { ScoreCategory, ScoreContext, ScoreResult, Scorer } from "./types.js";

export type { ScoreCategory, ScoreContext, ScoreResult, ScoreSpan, Scorer } from "./types.js";
export { SCORE_CATEGORIES } from "./types.js";

export const MODEL_HEADER_URL = new URL("./model/model.json", import.meta.url);
export const MODEL_WEIGHTS_URL = new URL("./model/weights.bin", import.meta.url);

const header = JSON.parse(readFileSync(MODEL_HEADER_URL, "utf8")) as ModelHeader;

/**
 * Operating thresholds per category, chosen by the training script on its validation
 * split (never on the evaluation-only sets). A score at or above holds the comment.
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<ScoreCategory, number>> = Object.freeze({ ...header.thresholds });
/**
 * Where the hold lane starts: a comment at or above is held for a moderator without asking
 * its author first. Between DEFAULT_THRESHOLDS and these, the author is asked to reconsider.
 */
export const DEFAULT_HOLD_THRESHOLDS: Readonly<Record<ScoreCategory, number>> = Object.freeze({
  ...(header.holdThresholds ?? header.thresholds),
});

/**
 * Swearing in plain sight (the default suspect list's swear words, and the profanity score)
 * withholds a comment only when its toxicity reaches this: chosen with the lanes on the
 * validation split (scripts/train-classifier.ts). 0 holds every listed swear word.
 */
export const DEFAULT_SWEARING_TOXICITY: number = header.swearingToxicity ?? 0;

let model: LinearModel | undefined;

function loadModel(): LinearModel {
  if (!model) {
    const bytes = readFileSync(MODEL_WEIGHTS_URL);
    model = new LinearModel(header, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return model;
}

/**
 * What a comment answers: its parent comment. The context weights were fitted on replies and
 * the turns they answer (Fox News, ConvAbuse), never on a story's title: applied to a title
 * they moved every top-level comment (a bland title raised identity attack, "appearance of
 * Mizrahi Jews" 0.37 → 0.50), so a title is not used until a model learns from titles.
 */
function contextText(context?: ScoreContext): string | undefined {
  return context?.parentText?.trim() || undefined;
}

/** Scores one comment synchronously with the committed model (loaded on first use). */
export function scoreSync(text: string, context?: ScoreContext): ScoreResult {
  return loadModel().score(text, contextText(context));
}

/** Each sentence's scores with its character range (UTF-16 offsets, `end` exclusive). */
export function scoreSentences(text: string): Array<{ start: number; end: number; scores: Record<ScoreCategory, number> }> {
  return loadModel().sentences(text);
}

/** The local scorer; loads the committed weights once and shares them between callers. */
export function loadLocalScorer(): Scorer {
  const m = loadModel();
  return {
    name: m.header.name,
    version: m.header.version,
    // The parent comment (else the story's title) moves the score; author history does not.
    score: (text: string, context?: ScoreContext) => m.score(text, contextText(context)),
  };
}
