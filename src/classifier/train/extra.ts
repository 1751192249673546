/**
 * Sentences written for Parley's training (not taken from any dataset, and never from the
 * evaluation-only Jigsaw files): neutral mentions of identities, so that naming a group is
 * not read as attacking it, and a few attacks, insults and threats to contrast with them.
 */
import type { ScoreCategory } from "../types.js";

export interface ProjectSentence {
  text: string;
  labels: Partial<Record<ScoreCategory, number>>;
}

const IDENTITIES =
  `gay|lesbian|bisexual|trans|transgender|queer|straight|Muslim|Jewish|Christian|Catholic|Hindu|Sikh|Buddhist|
atheist|Black|white|Asian|Latino|Latina|Hispanic|Mexican|Arab|African|African American|Native American|Indigenous|Chinese|
Indian|Pakistani|Somali|Syrian|Nigerian|Polish|Irish|Italian|immigrant|refugee|deaf|blind|disabled|autistic|elderly|
young|old|female|male|nonbinary|Norwegian|Jamaican|Korean|Filipino|Roma`
    .split("|")
    .map((s) => s.trim());
const PLURALS =
  `gay people|lesbians|trans people|Muslims|Jews|Christians|Hindus|Sikhs|atheists|Black people|white people|
Asians|Latinos|Mexicans|Arabs|Africans|immigrants|refugees|migrants|women|men|disabled people|deaf people|old people|
young people|Catholics|Somalis|Syrians|Nigerians|Poles|foreigners|gay couples|trans kids|Muslim families|Jewish students`
    .split("|")
    .map((s) => s.trim());
/** Whether a text names an identity group (the words above, as whole words, any case). */
export const namesGroup = (() => {
  const words = [...new Set([...IDENTITIES, ...PLURALS].map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
  const rx = new RegExp(`\\b(?:${words.join("|")})\\b`, "i");
  return (text: string): boolean => rx.test(text);
})();
const NAMES = ["Dana", "Ruth", "Omar", "Priya", "Mateo", "Ingrid", "Kwame", "Mei", "Tomasz", "Aisha", "Lars", "Rosa"];
const NEUTRAL_ADJ = [
  "kind",
  "quiet",
  "busy",
  "tired",
  "proud",
  "cheerful",
  "new here",
  "retired",
  "curious",
  "lucky",
  "happy",
  "honest",
];
const ROLES = [
  "nurse",
  "teacher",
  "bus driver",
  "engineer",
  "shop owner",
  "student",
  "farmer",
  "council member",
  "baker",
  "reporter",
];

const NEUTRAL_FRAMES = [
  "I am {a} {id} {role} and I ride this bus every day.",
  "As {a} {id} person, I think the new lanes are a good idea.",
  "My neighbours are {id} and they agree with the council.",
  "{name} is {a} {id} {role} who lives on Main Street.",
  "{name} is {id}.",
  "I am {id}.",
  "I'm {a} {adj} {id} {role}.",
  "Being {id} has nothing to do with how I vote.",
  "Our {id} community centre hosts a market on Saturdays.",
  "The {id} students organised a clean-up of the park.",
  "{name}, {a} {id} woman, wrote the letter to the editor.",
  "My best friend is {id} and works as a {role}.",
  "{id} {role}s were interviewed for the story.",
  "We welcomed {a} {id} family to the street last year.",
  "{a} {id} man",
  "{id} woman",
  "{id}",
  "proud {id} {role}",
  "my {id} grandmother",
  "{name} is {adj} and {id}.",
];
const PLURAL_FRAMES = [
  "{pl} deserve safe streets like everyone else.",
  "Many {pl} in this city rely on the bus.",
  "I have worked alongside {pl} for twenty years.",
  "{pl} are our neighbours and friends.",
  "The festival celebrated {pl} and their history.",
  "{pl} live in every part of town.",
  "Some {pl} supported the plan, others did not.",
  "{pl}",
  "I love {pl}.",
  "{pl} are welcome here.",
];
const ATTACK_FRAMES = [
  "{pl} are vermin and should be thrown out.",
  "All {pl} are filthy animals.",
  "{pl} are a disease on this country.",
  "I hate {pl}, every last one of them.",
  "Deport the {pl}, they are parasites.",
  "{pl} are subhuman trash.",
  "Those {pl} breed like rats.",
  "Dirty {pl} ruin every neighbourhood they move into.",
];
const INSULT_LINES = [
  "You are an idiot.",
  "You're a pathetic loser.",
  "What a moron you are.",
  "Shut up, you clown.",
  "Only a fool like you would believe that.",
  "You are too stupid to read the article.",
  "Go crawl back under your rock, troll.",
  "Your brain must be the size of a pea.",
  "You absolute imbecile.",
  "Nobody asked for your idiotic opinion.",
  "You are a disgrace and a liar.",
  "Get a brain, dumbass.",
  "You people are braindead sheep.",
  "What an ignorant hack you are.",
  "You're nothing but a worthless troll.",
  "Are you really this dumb?",
  "Typical moron comment.",
];
const THREAT_LINES = [
  "I will find you and hurt you.",
  "Someone should shoot that man.",
  "He deserves to be hanged.",
  "I hope you die in a fire.",
  "Keep talking and you will get a beating.",
  "We know where you live.",
  "They should all be lined up and shot.",
  "I'm going to break your neck.",
  "Watch your back.",
  "Kill yourself.",
  "That mayor needs a bullet.",
  "I'll burn your house down.",
];
const CIVIL_LINES = [
  "The council should kill the bill before it passes.",
  "The photographer shot the parade from the bridge.",
  "The attack on the budget was fair criticism.",
  "This plan is dead on arrival, in my opinion.",
  "I disagree strongly, but thanks for the data.",
  "That argument is weak; the numbers say otherwise.",
  "The article is wrong about the dates.",
  "What a stupid decision by the council.",
  "The traffic on Main Street is killing my commute.",
  "Stop the madness and fund the buses.",
  "You are right, I misread the chart.",
  "You people at the paper did a great job.",
  "Thanks for the correction, you are correct.",
  "Shoot me an email if you want the study.",
  "The hate mail the council gets is out of hand.",
  "Racism has no place in our town.",
  "The killer was sentenced to life in prison.",
  "Immigration policy is debated in the story.",
];

// Short replies typical of a news thread: not spam, however short (YouTube's short
// comments are often spam, which taught the model that "Thanks!" is).
const SHORT_REPLIES = [
  "Thanks!", "Thank you.", "Thanks for writing this.", "This.", "Agreed.", "Well said.", "hi", "Hi all,",
  "Great piece.", "So true.", "+1", "Exactly.", "Good point.", "Same here.", "Interesting read.", "lol",
  "Wow.", "Sad news.", "Congratulations!", "Yes!", "No.", "Really?", "Source?", "Spot on.", "Bravo!",
  "Fair enough.", "Good question.", "Nice work!", "I agree with this.", "Hear, hear.", "Not true.",
  "Finally!", "About time.", "Thanks for the update.", "Great news for the town.", "What a shame.",
];

const article = (w: string) => (/^[aeiou]/i.test(w) && !/^(uni|one|eu)/i.test(w) ? "an" : "a");

function fill(frame: string, id: string, k: number): string {
  const out = frame
    .replace("{name}", NAMES[k % NAMES.length])
    .replace("{adj}", NEUTRAL_ADJ[(k * 7) % NEUTRAL_ADJ.length])
    .replace("{role}", ROLES[(k * 3) % ROLES.length])
    .replace("{id}", id);
  const filled = out.replace("{a}", article(out.slice(out.indexOf("{a}") + 4)));
  return filled.charAt(0).toUpperCase() + filled.slice(1);
}

const NONE = { toxicity: 0, insult: 0, identityAttack: 0, threat: 0, spam: 0 } as const;

export function projectSentences(): ProjectSentence[] {
  const out: ProjectSentence[] = [];
  let k = 0;
  for (const frame of NEUTRAL_FRAMES)
    for (const id of IDENTITIES) out.push({ text: fill(frame, id, k++), labels: { ...NONE } });
  for (const frame of PLURAL_FRAMES)
    for (const pl of PLURALS) out.push({ text: fill(frame.replace("{pl}", pl), "", k++), labels: { ...NONE } });
  for (const frame of ATTACK_FRAMES)
    for (const pl of PLURALS) {
      out.push({
        text: fill(frame.replace("{pl}", pl), "", k++),
        labels: { toxicity: 1, identityAttack: 1, insult: 0, threat: 0, spam: 0 },
      });
    }
  for (const text of INSULT_LINES)
    out.push({ text, labels: { toxicity: 1, insult: 1, identityAttack: 0, threat: 0, spam: 0 } });
  for (const text of THREAT_LINES) out.push({ text, labels: { toxicity: 1, threat: 1, identityAttack: 0, spam: 0 } });
  for (const text of CIVIL_LINES) out.push({ text, labels: { ...NONE } });
  for (const text of SHORT_REPLIES) out.push({ text, labels: { ...NONE } });
  return out;
}
