import { checkPasswordPolicy } from '../modules/identity/password-policy.js';
import type { IdentityService } from '../modules/identity/service.js';
import type { PlatformServices } from '../services.js';
import { buildingEnergyOpenApi } from './building-energy.js';
import { demoCommunity } from './community.js';
import { demoPrincipal } from './principal.js';

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

  // The demo logins share one password: check it for each one to be created before creating anything,
  // since a refusal half-way would leave an organisation without its owner (each is its own transaction).
  for (const demo of demoCommunity) {
    if (await identity.findOrganisationBySlug(demo.slug)) continue;
    await checkPasswordPolicy(options.demoPassword, { email: demo.user.email });
  }

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
    if (demo.isLocationVerified !== false) {
      await identity.verifyLocation(operator, org.id, demo.location, 'demo seed');
    }
    await identity.provisionMember(operator, org.id, {
      ...demo.user,
      password: options.demoPassword,
      role: 'owner',
    });
    result.created.push(demo.slug);
  }
  return result;
}

/**
 * Publishes the demo building-energy API from Kowloon Land with two plans, and subscribes GreenGrid
 * Analytics to the open one. Idempotent; on every start it points the API at where the demo
 * upstream listens this time.
 */
export async function seedDemoApi(
  platform: PlatformServices,
  upstreamUrl: string,
): Promise<{ slug: string; created: boolean }> {
  const { identity, catalog, access } = platform;
  const slug = 'park-building-energy';
  const owner = await demoPrincipal(identity, 'kowloon-land');
  const existing = (await catalog.snapshotApis()).find((api) => api.slug === slug);
  if (existing) {
    if (existing.upstreamUrl !== upstreamUrl) await catalog.update(owner, existing.id, { upstreamUrl });
    return { slug, created: false };
  }
  const { api } = await catalog.importApi(owner, {
    document: buildingEnergyOpenApi,
    slug,
    upstreamUrl,
    visibility: 'public',
    category: 'Energy and sustainability',
    tags: ['energy', 'buildings', 'net-zero'],
  });
  const open = await access.createPlan(owner, api.id, {
    name: 'Open',
    description: 'For exploring: the building register, 5 requests a second, 10,000 a month.',
    rateLimitPerSecond: 5,
    burst: 10,
    monthlyQuota: 10_000,
    requiresApproval: false,
    includedTags: ['buildings'],
  });
  await access.createPlan(owner, api.id, {
    name: 'Partner',
    description:
      'For park partners: buildings and hourly energy readings, 50 requests a second, approved by Kowloon Land.',
    rateLimitPerSecond: 50,
    burst: 100,
    monthlyQuota: null,
    requiresApproval: true,
  });
  const greengrid = await demoPrincipal(identity, 'greengrid-analytics');
  await access.subscribe(greengrid, open.id);
  return { slug, created: true };
}
