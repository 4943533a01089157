// Every module's tables, gathered for Drizzle (queries and migration generation).

export * from '../http/idempotency-schema.js';
export * from '../modules/access/schema.js';
export * from '../modules/audit/schema.js';
export * from '../modules/catalog/schema.js';
export * from '../modules/community/schema.js';
export * from '../modules/consent/schema.js';
export * from '../modules/crossborder/schema.js';
export * from '../modules/declarations/schema.js';
export * from '../modules/gateway/schema.js';
export * from '../modules/harvest/schema.js';
export * from '../modules/identity/schema.js';
export * from '../modules/lab/schema.js';
export * from '../modules/regulator/schema.js';
export * from '../modules/sharing/schema.js';
