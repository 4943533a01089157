import type { IdentityService } from '../modules/identity/service.js';
import { demoCommunity } from './community.js';

export interface SeedResult {
  created: string[];
  existing: string[];
  logins: { organisation: string; email: string }[];
}

/**
 * Seeds the demo community. Idempotent: an organisation that exists (by slug) is left as it is, so
 * running it on every start changes nothing after the first.
 */
export async function seedDemoCommunity(
  identity: IdentityService,
  options: { adminEmail: string; demoPassword: string },
): Promise<SeedResult> {
  const admin = await identity.findUserByEmail(options.adminEmail);
  const operatorOrg = await identity.findOrganisationBySlug('stp-operations');
  if (!admin || !operatorOrg) throw new Error('bootstrap the operator before seeding the demo');
  const operator = await identity.principalFor('session', admin.id, operatorOrg.id, {});
  if (!operator) throw new Error(`${options.adminEmail} is not a member of the operator organisation`);

  const result: SeedResult = { created: [], existing: [], logins: [] };
  for (const demo of demoCommunity) {
    result.logins.push({ organisation: demo.name, email: demo.user.email });
    if (await identity.findOrganisationBySlug(demo.slug)) {
      result.existing.push(demo.slug);
      continue;
    }
    const org = await identity.createOrganisation(operator, {
      name: demo.name,
      slug: demo.slug,
      kinds: demo.kinds,
      sector: demo.sector,
      description: demo.description,
      declaredLocation: demo.location,
    });
    await identity.verifyLocation(operator, org.id, demo.location, 'demo seed');
    await identity.provisionMember(operator, org.id, {
      ...demo.user,
      password: options.demoPassword,
      role: 'owner',
    });
    result.created.push(demo.slug);
  }
  return result;
}
