import type { FastifyInstance } from 'fastify';
import type { AccessService } from './service.js';

export function accessRoutes(_app: FastifyInstance, _access: AccessService) {}
