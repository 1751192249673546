/**
 * The password-hashing process (see hash-pool.ts): answers `{ id, op, args }` messages with
 * `{ id, value }` or `{ id, error }`. It never logs: its messages carry passwords.
 */
import argon2 from "argon2";

interface Job {
  id: number;
  op: "hash" | "verify";
  password: string;
  /** For "hash": argon2id's memory cost in KiB. For "verify": the stored hash. */
  memoryCost?: number;
  hash?: string;
}

async function answer(job: Job): Promise<string | boolean> {
  if (job.op === "hash") {
    return argon2.hash(job.password, {
      type: argon2.argon2id,
      memoryCost: job.memoryCost,
      timeCost: 2,
      parallelism: 1,
    });
  }
  return argon2.verify(job.hash ?? "", job.password);
}

process.on("message", (job: Job) => {
  answer(job).then(
    (value) => process.send?.({ id: job.id, value }),
    (error: unknown) => process.send?.({ id: job.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
