import { AppError } from "../errors.js";
import { hashInPool, verifyInPool } from "./hash-pool.js";

/** argon2id with OWASP's minimum parameters by default (19 MiB, 2 passes, 1 lane), in the hashing pool. */
export async function hashPassword(password: string, memoryCost: number): Promise<string> {
  return hashInPool(password, memoryCost);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await verifyInPool(hash, password);
  } catch (error) {
    // A full queue is "come back later", never "wrong password".
    if (error instanceof AppError) throw error;
    return false;
  }
}

let decoy: Promise<string> | undefined;

/** Spends the time of a real verification, so an unknown e-mail answers as slowly as a known one. */
export async function verifyDecoy(password: string, memoryCost: number): Promise<void> {
  decoy ??= hashPassword("decoy-password-never-matches", memoryCost);
  await verifyPassword(await decoy, password);
}
