import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, PageOf, StringEnum } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { locations, orgKinds } from '../identity/schema.js';
import { type DirectoryService, directoryRoles } from './directory.js';

const tags = ['community'];

const OrgId = Type.String({
  pattern: idPatternFor('organisation'),
  description: 'an organisation id (org_…)',
});
const params = Type.Object({ orgId: OrgId });

const entryFields = {
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  roles: Type.Array(StringEnum(directoryRoles)),
  kinds: Type.Array(StringEnum(orgKinds)),
  sector: NullableString,
  location: Type.Union([StringEnum(locations), Type.Null()], { description: 'verified by an operator' }),
  description: NullableString,
  website: NullableString,
  apiCount: Type.Integer({ description: 'public APIs' }),
  datasetCount: Type.Integer({ description: 'published datasets' }),
  followers: Type.Integer({ description: 'people following it' }),
  followedByMe: Type.Boolean(),
};

const DirectoryEntryView = Type.Object(entryFields);

const DirectoryProfileView = Type.Object({
  ...entryFields,
  apis: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), description: NullableString })),
  datasets: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      description: NullableString,
      isOpen: Type.Boolean(),
    }),
  ),
});

const FollowView = Type.Object({ followedByMe: Type.Boolean() });

/** The community directory: data partners, tech companies and regulatory advisors, and following them. */
export function directoryRoutes(app: FastifyInstance, directory: DirectoryService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/directory',
    {
      schema: {
        tags,
        summary:
          'Active organisations of the community: data partners (providers), tech companies (consumers) ' +
          'and regulatory advisors (regulators)',
        querystring: Type.Object({
          role: Type.Optional(StringEnum(directoryRoles)),
          q: Type.Optional(
            Type.String({ minLength: 1, maxLength: 200, description: 'in name, description and sector' }),
          ),
          sector: Type.Optional(
            Type.String({ minLength: 1, maxLength: 100, description: 'exact, any case' }),
          ),
          location: Type.Optional(StringEnum(locations)),
        }),
        response: { 200: PageOf(DirectoryEntryView) },
      },
    },
    async (request) => ({
      items: await directory.list(principalOf(request), request.query),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/directory/:orgId',
    {
      schema: {
        tags,
        summary: "An organisation's profile with what it offers everyone: public APIs, published datasets",
        params,
        response: { 200: DirectoryProfileView },
      },
    },
    async (request) => directory.get(principalOf(request), request.params.orgId),
  );

  r.put(
    '/v1/orgs/:orgId/follow',
    {
      schema: {
        tags,
        summary: 'Follow an organisation: yours is notified when it publishes a dataset',
        params,
        response: { 200: FollowView },
      },
    },
    async (request) => directory.follow(principalOf(request), request.params.orgId, true),
  );

  r.delete(
    '/v1/orgs/:orgId/follow',
    { schema: { tags, summary: 'Stop following an organisation', params, response: { 200: FollowView } } },
    async (request) => directory.follow(principalOf(request), request.params.orgId, false),
  );
}
