import { scoreSync, DEFAULT_THRESHOLDS, DEFAULT_HOLD_THRESHOLDS, DEFAULT_SWEARING_TOXICITY } from "../src/classifier/index.js";
import { suspectKind } from "../src/moderation/phases/words.js";
console.log(DEFAULT_THRESHOLDS, DEFAULT_HOLD_THRESHOLDS, DEFAULT_SWEARING_TOXICITY);
const texts = process.argv.slice(2);
for (const t of texts.length ? texts : ["This is a pretty dumb plan if you ask me, honestly.", "What a dumb idea, honestly.", "Contract comment 7: the council vote and the bus lanes.", "This is fucking bullshit, the council can go screw themselves.", "You can go to hell American.", "Is it too early to fuck off?", "This is fucking brilliant, well done council."]) {
  const s = scoreSync(t).scores;
  console.log(suspectKind(t) ?? "-", Object.entries(s).map(([k, v]) => `${k.slice(0, 4)}=${v.toFixed(3)}`).join(" "), "|", t);
}
