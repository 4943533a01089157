export { deltaSharingPrefix, deltaSharingRoutes, sharingRoutes } from './routes.js';
export { SharingService } from './service.js';
export { loadOrCreateUrlKey } from './signing.js';
