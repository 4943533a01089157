import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { PageOf, PageQuery, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { wishStatuses, wishTargetTypes } from './schema.js';
import { type WishService, wishSorts } from './wishes.js';

const tags = ['community'];

const WishId = Type.String({ pattern: idPatternFor('wish'), description: 'a wish id (wsh_…)' });
const params = Type.Object({ wishId: WishId });

const WishView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  status: StringEnum(wishStatuses),
  orgId: Type.String({ description: "the wisher's organisation" }),
  orgName: Type.String(),
  createdBy: Type.String({ description: 'the user who posted it' }),
  createdByName: Type.String(),
  createdAt: Timestamp,
  votes: Type.Integer(),
  votedByMe: Type.Boolean(),
  followedByMe: Type.Boolean(),
  responseCount: Type.Integer(),
});

const WishResponseView = Type.Object({
  id: Type.String(),
  orgId: Type.String({ description: 'the answering organisation' }),
  orgName: Type.String(),
  message: Type.String(),
  target: Type.Object({
    type: StringEnum(wishTargetTypes),
    id: Type.String(),
    name: Type.String({ description: "the dataset's or API's title" }),
  }),
  createdBy: Type.String(),
  createdAt: Timestamp,
});

const VoteView = Type.Object({ votes: Type.Integer(), votedByMe: Type.Boolean() });
const FollowView = Type.Object({ followedByMe: Type.Boolean() });

/** The data wish board: requests for data that does not exist yet, votes, follows and answers. */
export function wishRoutes(app: FastifyInstance, wishes: WishService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/wishes',
    {
      schema: {
        tags,
        summary: 'The wish board: what the community asks for, newest or most voted first',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            q: Type.Optional(
              Type.String({ minLength: 1, maxLength: 200, description: 'in title, description and tags' }),
            ),
            status: Type.Optional(StringEnum(wishStatuses)),
            sort: StringEnum(wishSorts, { default: 'recent' }),
          }),
        ]),
        response: { 200: PageOf(WishView) },
      },
    },
    async (request) => wishes.list(principalOf(request), request.query),
  );

  r.post(
    '/v1/wishes',
    {
      schema: {
        tags,
        summary: 'Ask the community for data that does not exist yet; you follow your wish from then on',
        body: Type.Object(
          {
            title: Type.String({ minLength: 3, maxLength: 200 }),
            description: Type.String({ maxLength: 5000 }),
            tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: WishView },
      },
    },
    async (request, reply) => reply.code(201).send(await wishes.create(principalOf(request), request.body)),
  );

  r.get(
    '/v1/wishes/:wishId',
    {
      schema: {
        tags,
        summary: 'One wish with its responses, oldest first',
        params,
        response: {
          200: Type.Intersect([WishView, Type.Object({ responses: Type.Array(WishResponseView) })]),
        },
      },
    },
    async (request) => wishes.get(principalOf(request), request.params.wishId),
  );

  r.put(
    '/v1/wishes/:wishId/vote',
    {
      schema: {
        tags,
        summary: 'Vote for a wish (one vote per person; voting again changes nothing)',
        params,
        response: { 200: VoteView },
      },
    },
    async (request) => wishes.vote(principalOf(request), request.params.wishId, true),
  );

  r.delete(
    '/v1/wishes/:wishId/vote',
    { schema: { tags, summary: 'Withdraw your vote', params, response: { 200: VoteView } } },
    async (request) => wishes.vote(principalOf(request), request.params.wishId, false),
  );

  r.put(
    '/v1/wishes/:wishId/follow',
    {
      schema: {
        tags,
        summary: 'Follow a wish: your organisation is notified when it is answered',
        params,
        response: { 200: FollowView },
      },
    },
    async (request) => wishes.follow(principalOf(request), request.params.wishId, true),
  );

  r.delete(
    '/v1/wishes/:wishId/follow',
    { schema: { tags, summary: 'Stop following a wish', params, response: { 200: FollowView } } },
    async (request) => wishes.follow(principalOf(request), request.params.wishId, false),
  );

  r.post(
    '/v1/wishes/:wishId/responses',
    {
      schema: {
        tags,
        summary:
          "Answer a wish with one of your organisation's published datasets or public APIs (admins); " +
          'the wisher and the followers are notified',
        params,
        body: Type.Object(
          {
            message: Type.String({ minLength: 1, maxLength: 2000 }),
            datasetId: Type.Optional(
              Type.String({ pattern: idPatternFor('dataset'), description: 'give this or apiId' }),
            ),
            apiId: Type.Optional(
              Type.String({ pattern: idPatternFor('api'), description: 'give this or datasetId' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: WishResponseView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await wishes.respond(principalOf(request), request.params.wishId, request.body)),
  );

  r.post(
    '/v1/wishes/:wishId/close',
    {
      schema: {
        tags,
        summary: "Close your organisation's wish (its poster, or an admin); closing again changes nothing",
        params,
        response: { 200: WishView },
      },
    },
    async (request) => wishes.close(principalOf(request), request.params.wishId),
  );
}
