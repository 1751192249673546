/**
 * Every string of Parley's notification e-mails and unsubscribe page, in English; `de.ts`
 * has the same keys (the type checks it). `{name}` marks a value filled in (escaped for HTML).
 */
export const mailEn = {
  reply: {
    subject: "{actor} replied to you on “{story}”",
    intro: "{actor} replied to your comment on “{story}”:",
    action: "Read the reply",
  },
  quote: {
    subject: "{actor} quoted you on “{story}”",
    intro: "{actor} quoted your comment on “{story}”:",
    action: "See the comment",
  },
  published: {
    subject: "Your comment on “{story}” is published",
    intro: "A moderator approved your comment on “{story}”. Everyone can read it now:",
    action: "See your comment",
  },
  rejected: {
    subject: "Your comment on “{story}” was not published",
    intro: "A moderator did not publish your comment on “{story}”:",
    reason: "Reason: {reason}",
    action: "Read the discussion",
  },
  digest: {
    subject: "{n} new in your discussions",
    intro: "Here is what happened in your discussions since yesterday.",
    reply: "{actor} replied to you on “{story}”:",
    quote: "{actor} quoted you on “{story}”:",
    storyComment: "{actor} commented on “{story}”:",
    more: "… and {n} more in your notifications.",
    action: "Open",
  },
  footer: {
    why: "You get this e-mail because you asked for {topic}.",
    unsubscribe: "Unsubscribe from these e-mails",
  },
  topics: {
    replies: "e-mails about replies to your comments",
    mentions: "e-mails when someone quotes you",
    moderation: "e-mails about moderators' decisions on your comments",
    digest: "a daily digest of your discussions",
  },
  reasons: {
    offensive: "offensive",
    abusive: "abusive",
    spam: "spam",
    "hate-speech": "hate speech",
    harassment: "harassment",
    misinformation: "misinformation",
    "off-topic": "off topic",
    "illegal-content": "illegal content",
    other: "other",
  },
  unsubscribePage: {
    title: "Unsubscribe",
    confirm: "Stop {topic}?",
    button: "Unsubscribe",
    done: "Done: you will not get {topic} any more. You can turn them on again in your notification settings.",
    invalid: "This unsubscribe link is not valid. Open your notification settings instead.",
  },
};

export type MailMessages = typeof mailEn;
