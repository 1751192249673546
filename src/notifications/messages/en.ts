/**
 * Every string of Parley's e-mails (notifications and account mails) and unsubscribe page, in English; `de.ts`
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
    appeal: "You may appeal this decision until {date}: open the discussion and choose “Appeal” in your notifications.",
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
  /** The mails about the account itself: no topic and no unsubscribe link, since nobody subscribed to them. */
  account: {
    greeting: "Hello {name},",
    copyLink: "If the button does not work, copy this link into your browser:",
    footer: "An automatic message about the Parley account of this address.",
    verify: {
      subject: "Confirm your e-mail address",
      intro: "Confirm this address for your Parley account by opening this link within an hour:",
      action: "Confirm my address",
      ignore: "If you did not sign up, ignore this mail.",
    },
    reset: {
      subject: "Reset your password",
      intro: "Choose a new password for your Parley account within an hour:",
      action: "Choose a new password",
      ignore: "If you did not ask for this, ignore this mail; your password stays as it is.",
    },
    alreadyRegistered: {
      subject: "You already have an account",
      intro: "Someone (perhaps you) tried to sign up with this address, which already has an account. Sign in instead, or reset your password:",
      action: "Reset my password",
      ignore: "If it was not you, ignore this mail; nothing changed.",
    },
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
