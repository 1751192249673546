import { type Static, Type } from "typebox";

const Count = (max: number, description: string) => Type.Integer({ minimum: 1, maximum: max, description });

/**
 * The limits that keep sign-in, sign-up and account mail from being abused, installation-wide
 * (the default site's `accounts.limits`). The defaults are what a careful newsroom would set.
 */
export const AbuseLimitsSchema = Type.Object(
  {
    loginFailuresPerAddress: Count(100, "Failed sign-ins from one address in 15 minutes, to any accounts; then that address waits."),
    loginAttemptsPerAccount: Count(
      1000,
      "Sign-in attempts to one account per minute from addresses that never signed in to it; twice as many per 15 minutes, four times per hour, eight times per day. Addresses the owner signed in from are not counted here.",
    ),
    signInsPerAccountPerHour: Count(1000, "Successful sign-ins to one account in an hour."),
    signupsPerAddressPerHour: Count(10_000, "Accounts one address may create in an hour."),
    signupsPerDomainPerHour: Count(100_000, "Accounts with e-mail addresses of one domain created in an hour."),
    accountMailsPerAddressPerHour: Count(100, "Verification and 'you already have an account' mails to one e-mail address in an hour."),
    storiesPerAddressPerHour: Count(100_000, "New stories (threads) one address may create by embedding pages in an hour."),
  },
  { additionalProperties: false },
);
export type AbuseLimits = Static<typeof AbuseLimitsSchema>;

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  loginFailuresPerAddress: 5,
  loginAttemptsPerAccount: 5,
  signInsPerAccountPerHour: 30,
  signupsPerAddressPerHour: 30,
  signupsPerDomainPerHour: 200,
  accountMailsPerAddressPerHour: 1,
  storiesPerAddressPerHour: 30,
};
