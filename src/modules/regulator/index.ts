export { regulatorRoutes } from './routes.js';
export { RegulatorService } from './service.js';
