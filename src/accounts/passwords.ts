import argon2 from "argon2";

/** argon2id with OWASP's minimum parameters by default (19 MiB, 2 passes, 1 lane). */
export async function hashPassword(password: string, memoryCost: number): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/** Spends the time of a real verification, so an unknown e-mail answers as slowly as a known one. */
export async function verifyDecoy(password: string, memoryCost: number): Promise<void> {
  decoy ??= hashPassword("decoy-password-never-matches", memoryCost);
  await verifyPassword(await decoy, password);
}
