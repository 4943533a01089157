export {
  type Declaration,
  type DeclarationRequest,
  DeclarationRequestSchema,
  DeclarationSchema,
  declarationFormat,
} from './format.js';
export type { Change, FieldChange, Note } from './model.js';
export { declarationRoutes } from './routes.js';
export {
  type DeclarationApply,
  type DeclarationDrift,
  type DeclarationExport,
  type DeclarationPlan,
  DeclarationService,
} from './service.js';
