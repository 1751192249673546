import type { MailMessages } from "./en.js";

/** Deutsch: every key of the English catalog, checked by its type. */
export const mailDe: MailMessages = {
  reply: {
    subject: "{actor} hat Ihnen zu „{story}“ geantwortet",
    intro: "{actor} hat auf Ihren Kommentar zu „{story}“ geantwortet:",
    action: "Antwort lesen",
  },
  quote: {
    subject: "{actor} hat Sie zu „{story}“ zitiert",
    intro: "{actor} hat Ihren Kommentar zu „{story}“ zitiert:",
    action: "Kommentar ansehen",
  },
  published: {
    subject: "Ihr Kommentar zu „{story}“ ist veröffentlicht",
    intro: "Die Moderation hat Ihren Kommentar zu „{story}“ freigegeben. Alle können ihn jetzt lesen:",
    action: "Ihren Kommentar ansehen",
  },
  rejected: {
    subject: "Ihr Kommentar zu „{story}“ wurde nicht veröffentlicht",
    intro: "Die Moderation hat Ihren Kommentar zu „{story}“ nicht veröffentlicht:",
    reason: "Grund: {reason}",
    action: "Zur Diskussion",
  },
  digest: {
    subject: "{n} Neuigkeiten in Ihren Diskussionen",
    intro: "Das ist seit gestern in Ihren Diskussionen passiert.",
    reply: "{actor} hat Ihnen zu „{story}“ geantwortet:",
    quote: "{actor} hat Sie zu „{story}“ zitiert:",
    storyComment: "{actor} hat „{story}“ kommentiert:",
    more: "… und {n} weitere in Ihren Benachrichtigungen.",
    action: "Öffnen",
  },
  footer: {
    why: "Sie erhalten diese E-Mail, weil Sie {topic} bestellt haben.",
    unsubscribe: "Diese E-Mails abbestellen",
  },
  topics: {
    replies: "E-Mails zu Antworten auf Ihre Kommentare",
    mentions: "E-Mails, wenn jemand Sie zitiert",
    moderation: "E-Mails zu Moderationsentscheidungen über Ihre Kommentare",
    digest: "eine tägliche Zusammenfassung Ihrer Diskussionen",
  },
  reasons: {
    offensive: "beleidigend",
    abusive: "missbräuchlich",
    spam: "Spam",
    "hate-speech": "Hassrede",
    harassment: "Belästigung",
    misinformation: "Falschinformation",
    "off-topic": "am Thema vorbei",
    "illegal-content": "rechtswidriger Inhalt",
    other: "sonstiges",
  },
  unsubscribePage: {
    title: "Abbestellen",
    confirm: "{topic} abbestellen?",
    button: "Abbestellen",
    done: "Erledigt, abbestellt: {topic}. In Ihren Benachrichtigungseinstellungen können Sie sie wieder einschalten.",
    invalid: "Dieser Abmeldelink ist ungültig. Öffnen Sie stattdessen Ihre Benachrichtigungseinstellungen.",
  },
};
