import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

export interface PasswordHashCost {
  /** KiB of memory. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Passwords are low-entropy, so they get a slow, memory-hard hash: argon2id with the
 * RFC 9106 "second recommended" parameters (64 MiB, t=3, p=4).
 */
export const productionPasswordHashCost: Readonly<PasswordHashCost> = Object.freeze({
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 4,
});

let passwordHashCost: Readonly<PasswordHashCost> = productionPasswordHashCost;

/**
 * For the test suite only (test/setup.ts), which hashes thousands of throw-away passwords: no
 * configuration variable or flag reaches this, so a deployment always hashes at the production
 * cost. Verification reads the cost from each stored hash, so hashes of either cost verify.
 */
export function setPasswordHashCostForTests(cost: Readonly<PasswordHashCost>): void {
  passwordHashCost = cost;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...passwordHashCost });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash to verify against when the user does not exist, so a login for an unknown e-mail
 * takes as long as one with a wrong password (no account enumeration by timing).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

/**
 * Tokens, session secrets and invitation codes carry 256 random bits, so a fast hash is enough:
 * nobody can guess a preimage, and the lookup by hash stays a single indexed read.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newSecret(prefix: string): { secret: string; hash: string } {
  const secret = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret) };
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
