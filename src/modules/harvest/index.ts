export { harvestRoutes } from './routes.js';
export { dcatFormats, harvestKinds } from './schema.js';
export { HarvestService } from './service.js';
