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
    appeal: "Sie können bis {date} Einspruch einlegen: Öffnen Sie die Diskussion und wählen Sie „Einspruch“ in Ihren Benachrichtigungen.",
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
  account: {
    greeting: "Hallo {name},",
    copyLink: "Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:",
    footer: "Eine automatische Nachricht zum Parley-Konto dieser Adresse.",
    verify: {
      subject: "Bestätigen Sie Ihre E-Mail-Adresse",
      intro: "Bestätigen Sie diese Adresse für Ihr Parley-Konto, indem Sie innerhalb einer Stunde diesen Link öffnen:",
      action: "Adresse bestätigen",
      ignore: "Falls Sie sich nicht registriert haben, ignorieren Sie diese E-Mail.",
    },
    reset: {
      subject: "Setzen Sie Ihr Passwort zurück",
      intro: "Wählen Sie innerhalb einer Stunde ein neues Passwort für Ihr Parley-Konto:",
      action: "Neues Passwort wählen",
      ignore: "Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt, wie es ist.",
    },
    alreadyRegistered: {
      subject: "Sie haben bereits ein Konto",
      intro: "Jemand (vielleicht Sie) wollte sich mit dieser Adresse registrieren, zu der es bereits ein Konto gibt. Melden Sie sich stattdessen an oder setzen Sie Ihr Passwort zurück:",
      action: "Passwort zurücksetzen",
      ignore: "Falls Sie das nicht waren, ignorieren Sie diese E-Mail; nichts wurde geändert.",
    },
  },
  unsubscribePage: {
    title: "Abbestellen",
    confirm: "{topic} abbestellen?",
    button: "Abbestellen",
    done: "Erledigt, abbestellt: {topic}. In Ihren Benachrichtigungseinstellungen können Sie sie wieder einschalten.",
    invalid: "Dieser Abmeldelink ist ungültig. Öffnen Sie stattdessen Ihre Benachrichtigungseinstellungen.",
  },
};
