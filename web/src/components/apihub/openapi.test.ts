import { describe, expect, it } from 'vitest';
import { fillPath, groupByTag, operationsOf, planIncludes, resolveRef, schemaToText } from './openapi';

const openapi3 = {
  openapi: '3.1.0',
  tags: [{ name: 'energy', description: 'Readings' }, { name: 'buildings' }],
  paths: {
    '/buildings': {
      get: {
        tags: ['buildings'],
        summary: 'List',
        responses: {
          '200': {
            description: 'The buildings',
            content: {
              'application/json': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/Building' } },
              },
            },
          },
        },
      },
      post: {
        tags: ['buildings'],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/Building' }, example: { id: 'b1' } },
          },
        },
        responses: { '201': { $ref: '#/components/responses/Created' } },
      },
    },
    '/buildings/{buildingId}/energy': {
      parameters: [{ $ref: '#/components/parameters/BuildingId' }],
      get: {
        tags: ['energy'],
        parameters: [{ name: 'hours', in: 'query', schema: { type: 'integer', default: 24 } }],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/health': { get: { responses: {} } },
  },
  components: {
    parameters: {
      BuildingId: { name: 'buildingId', in: 'path', required: true, schema: { type: 'string' } },
    },
    responses: { Created: { description: 'Created' } },
    schemas: {
      Building: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, parent: { $ref: '#/components/schemas/Building' } },
      },
    },
  },
};

describe('the OpenAPI reader', () => {
  it('lists operations with path-level and own parameters, bodies and responses', () => {
    const ops = operationsOf(openapi3);
    expect(ops.map((o) => o.key)).toEqual([
      'GET /buildings',
      'POST /buildings',
      'GET /buildings/{buildingId}/energy',
      'GET /health',
    ]);
    const energy = ops[2]!;
    expect(energy.parameters.map((p) => [p.name, p.in, p.required, p.type, p.example])).toEqual([
      ['buildingId', 'path', true, 'string', null],
      ['hours', 'query', false, 'integer', '24'],
    ]);
    expect(ops[1]!.requestBody).toMatchObject({ contentType: 'application/json', required: true });
    expect(ops[1]!.requestBody?.example).toContain('"b1"');
    expect(ops[1]!.responses).toEqual([
      { status: '201', description: 'Created', contentType: null, schema: undefined },
    ]);
  });

  it('groups by tag in the document order, untagged last', () => {
    const groups = groupByTag(openapi3, operationsOf(openapi3));
    expect(groups.map((g) => [g.tag, g.description, g.operations.length])).toEqual([
      ['energy', 'Readings', 1],
      ['buildings', null, 2],
      ['', null, 1],
    ]);
  });

  it('reads Swagger 2.0: typed parameters and a body parameter', () => {
    const swagger = {
      swagger: '2.0',
      consumes: ['application/json'],
      definitions: { Pet: { type: 'object', properties: { name: { type: 'string' } } } },
      paths: {
        '/pets': {
          post: {
            parameters: [
              { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Pet' } },
              { name: 'limit', in: 'query', type: 'integer', format: 'int32' },
            ],
            responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
          },
        },
      },
    };
    const [op] = operationsOf(swagger);
    expect(op?.parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        type: 'integer (int32)',
        description: null,
        example: null,
      },
    ]);
    expect(op?.requestBody?.required).toBe(true);
    expect(schemaToText(swagger, op?.requestBody?.schema)).toBe('{\n  name?: string;\n}');
    expect(op?.responses[0]?.contentType).toBe('application/json');
  });

  it('renders schemas as text and stops at cycles', () => {
    expect(schemaToText(openapi3, { $ref: '#/components/schemas/Building' })).toBe(
      '{\n  id: string;\n  parent?: Building;\n}',
    );
    expect(schemaToText(openapi3, { type: 'array', items: { type: 'string', format: 'date-time' } })).toBe(
      'string (date-time)[]',
    );
    expect(schemaToText(openapi3, { enum: ['a', 'b'] })).toBe('"a" | "b"');
  });

  it('leaves unknown and remote refs alone', () => {
    expect(resolveRef(openapi3, { $ref: '#/components/schemas/Nope' })).toEqual({
      $ref: '#/components/schemas/Nope',
    });
    expect(resolveRef(openapi3, { $ref: 'https://example.com/x.json' })).toEqual({
      $ref: 'https://example.com/x.json',
    });
  });

  it('fills path templates, encoding values', () => {
    expect(fillPath('/buildings/{id}/energy', { id: 'b 15/w' })).toBe('/buildings/b%2015%2Fw/energy');
  });

  it('knows which operations a plan includes, as the gateway does', () => {
    const open = { includedTags: ['buildings'], includedPaths: [] };
    expect(planIncludes(open, { tags: ['buildings'], path: '/buildings' })).toBe(true);
    expect(planIncludes(open, { tags: ['energy'], path: '/buildings/{id}/energy' })).toBe(false);
    expect(planIncludes({ includedTags: [], includedPaths: [] }, { tags: [], path: '/x' })).toBe(true);
    expect(
      planIncludes(
        { includedTags: [], includedPaths: ['/buildings/**'] },
        { tags: [], path: '/buildings/{id}/energy' },
      ),
    ).toBe(true);
    expect(
      planIncludes(
        { includedTags: [], includedPaths: ['/buildings/*'] },
        { tags: [], path: '/buildings/{id}/energy' },
      ),
    ).toBe(false);
  });
});
