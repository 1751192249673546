import { readFileSync } from "node:fs";
import { LinearModel, type ModelHeader } from "./src/classifier/model.js";
import { loadWikipedia } from "./src/classifier/train/data.js";
const texts = loadWikipedia("/work/shared/data/moderation").map((r) => r.text);
const ms = process.argv.slice(2).map((d) => new LinearModel(JSON.parse(readFileSync(`${d}/model.json`, "utf8")) as ModelHeader, readFileSync(`${d}/weights.bin`)));
for (let round = 0; round < 3; round++) for (const [i, m] of ms.entries()) {
  for (const t of texts) m.score(t);
  const c0 = process.cpuUsage();
  for (let r = 0; r < 3; r++) for (const t of texts) m.score(t);
  const c = process.cpuUsage(c0);
  console.log(i, Math.round((texts.length * 3) / ((c.user + c.system) / 1e6)), "per CPU-s");
}
