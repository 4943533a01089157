import type { Principal } from '../modules/identity/principal.js';
import type { IdentityService } from '../modules/identity/service.js';
import { demoCommunity } from './community.js';

/** Acts as a demo organisation's first user, for seeding (the demo community must exist). */
export async function demoPrincipal(identity: IdentityService, slug: string): Promise<Principal> {
  const demo = demoCommunity.find((org) => org.slug === slug)!;
  const org = await identity.findOrganisationBySlug(slug);
  const user = await identity.findUserByEmail(demo.user.email);
  const principal = org && user ? await identity.principalFor('session', user.id, org.id, {}) : null;
  if (!principal) throw new Error(`the demo community has no ${slug}; seed it first`);
  return principal;
}

/** A small deterministic PRNG (mulberry32), so demo data never changes between runs. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
