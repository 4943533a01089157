import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, PageOf, Timestamp } from '../../http/schemas.js';
import { TemplateTermsSchema, type TermsTemplateService } from './terms-templates.js';

const TermsTemplateView = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  slug: Type.String(),
  description: NullableString,
  terms: TemplateTermsSchema,
  datasetIds: Type.Array(Type.String(), { description: 'the datasets approved with it by default' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/**
 * Reading a provider's terms templates (the portal's terms editor starts from them). They are
 * declared, changed and removed with declaration files (docs/declarations.md).
 */
export function termsTemplateRoutes(app: FastifyInstance, templates: TermsTemplateService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/terms-templates',
    {
      schema: {
        tags: ['access-requests'],
        summary:
          "Your organisation's terms templates, and the datasets each is the default of: the terms an approval starts from",
        response: { 200: PageOf(TermsTemplateView) },
      },
    },
    async (request) => ({ items: await templates.list(principalOf(request)), nextCursor: null }),
  );
}
