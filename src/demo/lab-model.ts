import type { PlatformServices } from '../services.js';
import { demoPrincipal } from './principal.js';

/** The slug under /gw/ the demo model is served at. */
export const demoModelSlug = 'diabetes-risk';

/**
 * The demo model's job, as Sha Tin AI Labs would write it: logistic regression of a type 2 diabetes
 * diagnosis on age and HbA1c in the hospital's patients, where the demo data plants that relationship
 * (lab.ts, `plantedDiabetes`). Three epochs over the 5,000 patients keep the demo's start fast; ε 1
 * of the researcher's 3 still recovers the planted signs.
 */
export const demoModelSpec = {
  name: demoModelSlug,
  inputs: ['patients'],
  features: [
    { column: 'age', lower: 20, upper: 90 },
    { column: 'hba1c', lower: 4, upper: 12 },
  ],
  target: { column: 'diabetes', equals: 'true' },
  model: { kind: 'logistic-regression', epochs: 3, batchSize: 256, learningRate: 2 },
  split: { testFraction: 0.2, seed: 7 },
  epsilon: 1,
  delta: 1e-6,
};

export interface ModelSeedResult {
  modelId: string;
  apiId: string;
  slug: string;
  created: boolean;
}

/** The demo model's API, once published. */
export async function demoModelPublished(platform: PlatformServices) {
  return (await platform.catalog.snapshotApis()).find((api) => api.slug === demoModelSlug);
}

/**
 * Trains, releases and publishes the demo model through the path a researcher and the lab owner
 * take: the researcher submits the job (ε charged from their budget), the hospital approves the
 * model when the lab reviews outputs, then publishes it as the public API `diabetes-risk` with an
 * open plan. Idempotent: an API at the slug ends it; a model already trained (an interrupted seed)
 * is reviewed and published rather than trained again.
 */
export async function seedDemoModel(platform: PlatformServices, labId: string): Promise<ModelSeedResult> {
  const { identity, labModels: models, modelPublication } = platform;
  const published = await demoModelPublished(platform);
  if (published) {
    const modelId = published.builtinUpstream?.replace(/^lab-model:/, '') ?? '';
    return { modelId, apiId: published.id, slug: demoModelSlug, created: false };
  }
  const hospital = await demoPrincipal(identity, 'hospital-data-lab');
  const researcher = await demoPrincipal(identity, 'shatin-ai-labs');

  let model = (await models.listModels(hospital, labId)).find(
    (row) => row.name === demoModelSpec.name && (row.state === 'released' || row.state === 'pending-review'),
  );
  if (!model) {
    const job = await models.submit(researcher, labId, demoModelSpec);
    await models.settle();
    const done = await models.getJob(researcher, labId, job.id);
    if (done.state !== 'succeeded' || !done.modelId) {
      throw new Error(`the demo model's job ended ${done.state}: ${done.error?.detail ?? 'no model'}`);
    }
    model = await models.getModel(hospital, labId, done.modelId);
  }
  if (model.state === 'pending-review') {
    model = await models.review(hospital, labId, model.id, 'approve', 'demo model: planted relationship');
  }
  const result = await modelPublication.publish(hospital, labId, model.id, {
    slug: demoModelSlug,
    title: 'Type 2 diabetes risk (demo model)',
    description:
      'The probability of a type 2 diabetes diagnosis from age and HbA1c, trained with differential privacy ' +
      'in the Science Park–Hospital Data Lab on synthetic patients.',
    visibility: 'public',
    plan: { name: 'Open', rateLimitPerSecond: 10, burst: 20, monthlyQuota: 10_000 },
  });
  return { modelId: model.id, apiId: result.api.id, slug: demoModelSlug, created: true };
}
