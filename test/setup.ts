import { setPasswordHashCostForTests } from '../src/modules/identity/secrets.js';

/**
 * Runs in every test worker before its test file. The suite hashes a password for every tenant and
 * every seeded user; at the production argon2 cost (64 MiB, three passes) that alone took minutes
 * on two cores. Tests hash at the smallest cost argon2 allows instead; the test of the stored hash
 * (src/modules/identity/identity.test.ts) switches back to the production cost to check it.
 */
export const testPasswordHashCost = Object.freeze({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

setPasswordHashCostForTests(testPasswordHashCost);
