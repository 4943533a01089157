import type { TSchema } from 'typebox';
import { eventCatalogue, eventTypes, parties } from './events.js';

interface FieldSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  allOf?: FieldSchema[];
  anyOf?: FieldSchema[];
}

/** The payload's fields, flattened across intersections: name, type, description. */
function fieldsOf(schema: FieldSchema): [string, string, string][] {
  if (schema.allOf) return schema.allOf.flatMap(fieldsOf);
  return Object.entries(schema.properties ?? {}).map(([name, field]) => [
    name,
    typeOf(field),
    field.description ?? '',
  ]);
}

function typeOf(field: FieldSchema): string {
  if (field.anyOf) return field.anyOf.map(typeOf).join(' \\| ');
  if (field.type === 'object') return `{ ${Object.keys(field.properties ?? {}).join(', ')} }`;
  return field.format ? `${field.type} (${field.format})` : (field.type ?? 'any');
}

/** docs/events.md, rendered from the catalogue: `npm run docs:events` writes it, a test compares. */
export function renderEventsDoc(): string {
  const lines = [
    '# Events',
    '',
    '<!-- Generated from src/modules/community/events.ts by `npm run docs:events`; do not edit by hand. -->',
    '',
    'Every state change another party cares about is an event. Each is written, in the same transaction',
    'as the change, as an in-app notification (`GET /v1/notifications`) to each organisation of its',
    "audience — never to anyone else — and as a delivery to each of those organisations' webhooks that",
    'asked for its type (`POST /v1/webhooks` with `events` such as `subscription.*`). Deliveries are',
    'posted after commit and retried with backoff; each carries the notification (id, type, createdAt,',
    'orgId, title, body, object, data), where `data` is the payload below. `GET /v1/event-types` lists',
    'the types below with their descriptions, for a client that lets people choose.',
    '',
    '## Webhook signatures',
    '',
    'Deliveries follow [Standard Webhooks](https://www.standardwebhooks.com/): `webhook-id` (the',
    'delivery id, the same on every retry: deduplicate on it), `webhook-timestamp` (Unix seconds) and',
    '`webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed by the',
    'base64-decoded part of the webhook secret after `whsec_`. Any Standard Webhooks library verifies',
    'them with the secret as shown, e.g. `new Webhook(secret).verify(body, headers)` with the',
    '`standardwebhooks` npm package.',
    '',
    '`POST /v1/webhooks/{webhookId}/secret` replaces the secret (an admin; the new one is shown once).',
    'Every post from then on, retries of deliveries already pending included, is signed with the new',
    'secret and the old one stops verifying at once: update the receiver first, or rotate and update',
    'it within the retry window (about an hour), during which failed deliveries are retried.',
    '',
    '**Deprecated:** `STP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (keyed by',
    'the secret string itself), `STP-Event` and `STP-Delivery` are still sent for this release and will',
    'then be removed; move receivers to the `webhook-*` headers.',
    '',
    '## Parties',
    '',
    '| party | who |',
    '| --- | --- |',
    ...Object.entries(parties).map(([party, who]) => `| \`${party}\` | ${who} |`),
    '',
    '## Catalogue',
    '',
    '| event | audience | links to | description |',
    '| --- | --- | --- | --- |',
    ...eventTypes.map((type) => {
      const event = eventCatalogue[type];
      return `| \`${type}\` | ${event.audience.join(', ')} | ${event.object} | ${event.description} |`;
    }),
    '',
    '## Payloads',
    '',
  ];
  for (const type of eventTypes) {
    const event = eventCatalogue[type];
    lines.push(
      `### \`${type}\``,
      '',
      event.description,
      '',
      '| field | type | meaning |',
      '| --- | --- | --- |',
    );
    for (const [name, kind, description] of fieldsOf(event.payload as TSchema as FieldSchema)) {
      lines.push(`| \`${name}\` | ${kind} | ${description} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
