import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, NullableTimestamp, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { eventCatalogue, eventTypes } from './events.js';
import { deliveryStates } from './schema.js';
import type { WebhookService } from './webhooks.js';

const WebhookId = Type.String({ pattern: idPatternFor('webhook'), description: 'a webhook id (whk_…)' });

const WebhookView = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Timestamp,
});

const DeliveryView = Type.Object({
  id: Type.String({ description: 'also sent as the webhook-id header: deduplicate on it' }),
  notificationId: Type.String(),
  event: Type.String(),
  state: StringEnum(deliveryStates),
  attempts: Type.Integer(),
  nextAttemptAt: Timestamp,
  lastAttemptAt: NullableTimestamp,
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: NullableString,
  deliveredAt: NullableTimestamp,
  createdAt: Timestamp,
});

export function webhookRoutes(app: FastifyInstance, webhooks: WebhookService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ webhookId: WebhookId });

  r.post(
    '/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          "Send your organisation's events to a URL, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature; the deprecated STP-Signature is still sent this release); the secret (whsec_…) is shown once",
        body: Type.Object(
          {
            url: Type.String({
              minLength: 1,
              maxLength: 2000,
              description: 'http(s); public addresses only',
            }),
            events: Type.Array(
              Type.String({
                pattern: '^(\\*|[a-z0-9-]+(\\.[a-z0-9-]+)*(\\.\\*)?)$',
                maxLength: 100,
                description: 'a notification kind (transfer.approved), a prefix (transfer.*), or *',
              }),
              { minItems: 1, maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([
            WebhookView,
            Type.Object({ secret: Type.String({ description: 'shown once: keep it to check signatures' }) }),
          ]),
        },
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await webhooks.create(principalOf(request), request.body);
      return reply.code(201).send({ ...webhook, secret });
    },
  );

  r.get(
    '/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: "Your organisation's webhooks",
        response: { 200: PageOf(WebhookView) },
      },
    },
    async (request) => ({ items: await webhooks.list(principalOf(request)), nextCursor: null }),
  );

  r.get(
    '/v1/event-types',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'The event catalogue: every event type a webhook can ask for, with what it reports (docs/events.md)',
        response: { 200: PageOf(Type.Object({ type: Type.String(), description: Type.String() })) },
      },
    },
    async () => ({
      items: eventTypes.map((type) => ({ type, description: eventCatalogue[type].description })),
      nextCursor: null,
    }),
  );

  r.post(
    '/v1/webhooks/:webhookId/secret',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          "Replace a webhook's signing secret; the new one (whsec_…) is shown once and signs every post from now on, retries included",
        params,
        response: {
          200: Type.Intersect([
            WebhookView,
            Type.Object({ secret: Type.String({ description: 'shown once: keep it to check signatures' }) }),
          ]),
        },
      },
    },
    async (request) => {
      const { webhook, secret } = await webhooks.rotateSecret(principalOf(request), request.params.webhookId);
      return { ...webhook, secret };
    },
  );

  r.delete(
    '/v1/webhooks/:webhookId',
    { schema: { tags: ['webhooks'], summary: 'Remove a webhook; pending deliveries are cancelled', params } },
    async (request, reply) => {
      await webhooks.delete(principalOf(request), request.params.webhookId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/v1/webhooks/:webhookId/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "A webhook's recent deliveries: state, attempts, the receiver's last answer",
        params,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: { 200: PageOf(DeliveryView) },
      },
    },
    async (request) => ({
      items: await webhooks.deliveries(principalOf(request), request.params.webhookId, request.query.limit),
      nextCursor: null,
    }),
  );
}
