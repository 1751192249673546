/** Why a comment was held, in a moderator's words (the codes come from the moderation phases). */
const HOLD_REASONS: Record<string, string> = {
  BANNED_WORD: "banned word",
  SUSPECT_WORD: "suspect word",
  DUPLICATE_COMMENT: "duplicate",
  SPAM: "spam",
  NEW_ACCOUNT_LINK: "link from a new account",
  NEW_ACCOUNT_PREMOD: "new account",
  USER_PREMOD: "author is pre-moderated",
  STORY_PREMOD: "story is pre-moderated",
  REPORTED: "reported by readers",
  SCORER_UNAVAILABLE: "classifier unavailable",
  COPY_OF_ANOTHER_READER: "copy of another reader's comment",
  COPIED_ACROSS_ACCOUNTS: "same text from several accounts",
  BLOCKED_DOMAIN: "blocked link domain",
  TOO_MANY_LINKS: "too many links",
  SITE_PREMOD: "site is pre-moderated",
  SECTION_PREMOD: "section is pre-moderated",
  SCHEDULED_PREMOD: "posted during a pre-moderation window (night shift)",
  WEBHOOK_HOLD: "held by the moderation webhook",
  WEBHOOK_UNAVAILABLE: "moderation webhook did not answer",
};

export const holdReason = (code: string): string =>
  HOLD_REASONS[code] ?? (code.startsWith("SCORE_") ? `likely ${code.slice(6).replace(/_/g, " ").toLowerCase()}` : code.replace(/_/g, " ").toLowerCase());

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "5 min ago": how long since, in the desk's short words. */
export const ago = (iso: string, now = Date.now()) => {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
};
