import { sendAccountMail } from "./account-mail.js";
import { sendComplianceMail } from "./compliance-mail.js";
import { fanOut } from "./fanout.js";
import { tellFollowers } from "./followers.js";
import { sendDigest, sendNotificationMail } from "./mail.js";
import { deliverWebhook } from "./webhooks.js";
import type { Handlers } from "./worker.js";

/** What each kind of outbox job does. */
export const HANDLERS: Handlers = {
  event: fanOut,
  webhook: deliverWebhook,
  email: sendNotificationMail,
  digest: sendDigest,
  "account-mail": sendAccountMail,
  followers: tellFollowers,
  "compliance-mail": sendComplianceMail,
};
