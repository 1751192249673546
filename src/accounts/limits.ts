export { AbuseLimitsSchema, type AbuseLimits } from "../shared/settings.js";
import type { AbuseLimits } from "../shared/settings.js";

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  loginFailuresPerAddress: 5,
  loginAttemptsPerAccount: 5,
  signInsPerAccountPerHour: 30,
  signupsPerAddressPerHour: 30,
  signupsPerDomainPerHour: 200,
  accountMailsPerAddressPerHour: 1,
  storiesPerAddressPerHour: 30,
};
