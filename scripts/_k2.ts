import { readFileSync } from "node:fs";
import { buildCorpus, isValidation } from "../src/classifier/train/corpus.js";
import { defaultDataDir } from "../src/classifier/train/data.js";
import { suspectKind } from "../src/moderation/phases/words.js";
const corpus = buildCorpus(defaultDataDir()!, { seed: 42 });
const val = corpus.filter((e) => e.source === "jigsaw" && isValidation(e, 42));
const counts: Record<string, number> = {};
for (const e of val) {
  const k = `${suspectKind(e.text) ?? "-"}/${e.labels.toxicity}`;
  counts[k] = (counts[k] ?? 0) + 1;
  if (k === "disguised/0") {
    const hits = e.text.split(/\s+/).filter((w) => suspectKind(w));
    console.log(JSON.stringify(hits), e.text.slice(0, 100).replace(/\n/g, " "));
  }
}
console.log(counts);
