import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableTimestamp } from '../../http/schemas.js';
import { DeclarationRequestSchema } from './format.js';
import { objectKinds } from './model.js';
import type { DeclarationService } from './service.js';

const Kind = Type.Unsafe<(typeof objectKinds)[number]>({ type: 'string', enum: [...objectKinds] });
const FieldChange = Type.Object({
  field: Type.String(),
  from: Type.Optional(Type.Unknown()),
  to: Type.Optional(Type.Unknown()),
});
const Change = Type.Object({
  action: Type.Unsafe<'create' | 'update' | 'delete'>({
    type: 'string',
    enum: ['create', 'update', 'delete'],
  }),
  kind: Kind,
  key: Type.String({ description: 'the stable key: a slug, apiSlug/planName, a URL or a name' }),
  fields: Type.Array(FieldChange),
});
const Note = Type.Object({ kind: Kind, key: Type.String(), note: Type.String() });
const PlanView = Type.Object({
  organisation: Type.String(),
  hash: Type.String({ description: 'sha256 of the declaration; ledger entries of an apply name it' }),
  changes: Type.Array(Change),
  notes: Type.Array(Note),
});
const ApplyView = Type.Object({
  organisation: Type.String(),
  hash: Type.String(),
  applied: Type.Array(Type.Intersect([Change, Type.Object({ ids: Type.Array(Type.String()) })])),
  notes: Type.Array(Note),
});

/**
 * A declaration carries its OpenAPI documents, so it may be as large as several imports: the
 * default 1 MiB body limit would refuse an organisation with a few large APIs.
 */
const declarationBodyLimit = 50 * 1024 * 1024;

export function declarationRoutes(app: FastifyInstance, declarations: DeclarationService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/declarations/schema',
    {
      config: { public: true },
      schema: {
        tags: ['declarations'],
        security: [],
        summary: 'The JSON Schema of declaration files (stp.yaml): what an organisation owns, as code',
      },
    },
    async (_request, reply) => reply.type('application/schema+json').send(declarations.schema()),
  );

  r.post(
    '/v1/declarations/plan',
    {
      bodyLimit: declarationBodyLimit,
      schema: {
        tags: ['declarations'],
        summary:
          'Compare a declaration with the live state: the creates, updates (field by field) and, with prune, deletes an apply would make',
        body: DeclarationRequestSchema,
        response: { 200: PlanView },
      },
    },
    async (request) => declarations.plan(principalOf(request), request.body),
  );

  r.post(
    '/v1/declarations/apply',
    {
      bodyLimit: declarationBodyLimit,
      schema: {
        tags: ['declarations'],
        summary:
          "Apply a declaration (organisation admins): each change through its own service and ledger entry, naming the declaration's hash; stops at the first refusal",
        body: DeclarationRequestSchema,
        response: { 200: ApplyView },
      },
    },
    async (request) => declarations.apply(principalOf(request), request.body),
  );

  r.get(
    '/v1/declarations/export',
    {
      schema: {
        tags: ['declarations'],
        summary: "Your organisation's live state as a declaration, with the OpenAPI documents it names",
        response: {
          200: Type.Object({
            declaration: Type.Unknown(),
            documents: Type.Record(Type.String(), Type.String()),
          }),
        },
      },
    },
    async (request) => declarations.export(principalOf(request)),
  );

  r.get(
    '/v1/declarations/drift',
    {
      schema: {
        tags: ['declarations'],
        summary: 'Objects changed outside the declaration file since its last apply',
        response: {
          200: Type.Object({
            organisation: Type.String(),
            lastApply: Type.Union([
              Type.Object({ hash: Type.String(), appliedAt: NullableTimestamp, isComplete: Type.Boolean() }),
              Type.Null(),
            ]),
            drift: Type.Array(
              Type.Object({
                drift: Type.Unsafe<'changed' | 'added' | 'removed'>({
                  type: 'string',
                  enum: ['changed', 'added', 'removed'],
                }),
                kind: Kind,
                key: Type.String(),
                fields: Type.Array(FieldChange),
              }),
            ),
          }),
        },
      },
    },
    async (request) => declarations.drift(principalOf(request)),
  );
}
