import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Route schema compilers shared by every app this process builds. Compiling each route's request
 * validator (Ajv) and response serialiser (fast-json-stringify) is most of what `app.ready()` costs;
 * an app built again in the same process — a CLI command after the server, a test suite's many
 * platforms — reuses what an earlier app compiled for the same schema instead of compiling it again.
 *
 * A compiled function depends only on its schema, the shared schemas it may reference and the
 * compiler options, so that is the key: the pool below already keeps one Ajv per set of shared
 * schemas and options, and each compiled function is kept by its schema's JSON under that pool.
 */
type BuildValidator = ReturnType<typeof AjvCompiler>;
type BuildSerializer = ReturnType<typeof SerializerSelector>;
type RouteValidatorCompiler = ReturnType<BuildValidator>;
type RouteSerializerCompiler = ReturnType<BuildSerializer>;

const validatorPool = AjvCompiler();
const serializerSelector = SerializerSelector();
/** Compiled validators by the pool's compiler they came from, then by schema and request part. */
const validators = new WeakMap<RouteValidatorCompiler, Map<string, ReturnType<RouteValidatorCompiler>>>();
/** Compiled serialisers by shared schemas and options, then by schema. */
const serializers = new Map<string, Map<string, ReturnType<RouteSerializerCompiler>>>();

const buildValidator: BuildValidator = (externalSchemas, options) => {
  const compile = validatorPool(externalSchemas, options);
  let compiled = validators.get(compile);
  if (!compiled) {
    compiled = new Map();
    validators.set(compile, compiled);
  }
  const cache = compiled;
  return (route) => {
    const key = `${route.httpPart}\u0000${JSON.stringify(route.schema)}`;
    let validate = cache.get(key);
    if (!validate) {
      validate = compile(
        route.httpPart === 'headers' ? { ...route, schema: lowerCaseHeaders(route.schema) } : route,
      );
      cache.set(key, validate);
    }
    return validate;
  };
};

const buildSerializer: BuildSerializer = (externalSchemas, options) => {
  const compile = serializerSelector(externalSchemas, options);
  const poolKey = `${JSON.stringify(externalSchemas)}\u0000${JSON.stringify(options ?? {})}`;
  let compiled = serializers.get(poolKey);
  if (!compiled) {
    compiled = new Map();
    serializers.set(poolKey, compiled);
  }
  const cache = compiled;
  return (route) => {
    const key = JSON.stringify(route.schema);
    let serialize = cache.get(key);
    if (!serialize) {
      serialize = compile(route);
      cache.set(key, serialize);
    }
    return serialize;
  };
};

/**
 * Header names are case-insensitive and Node gives them in lower case. Fastify lowers a headers
 * schema's names itself only for its own compilers, so ours do it.
 */
function lowerCaseHeaders<T>(schema: T): T {
  if (typeof schema !== 'object' || schema === null || !('properties' in schema)) return schema;
  const { properties, required } = schema as { properties: Record<string, unknown>; required?: string[] };
  return {
    ...(schema as object),
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    ...(Array.isArray(required) ? { required: required.map((name) => name.toLowerCase()) } : {}),
  } as T;
}

/** For Fastify's `schemaController` option. */
export const sharedSchemaCompilers: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: { buildValidator, buildSerializer },
};
