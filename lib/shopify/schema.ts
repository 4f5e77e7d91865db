import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

/** Where scripts/fetch-shopify-schema.mjs (npm postinstall) puts the real Admin API schema. */
export const ADMIN_SCHEMA_FILE = path.join(process.cwd(), '.cache', 'shopify', 'admin_2026-10.json.gz');

let cached: GraphQLSchema | undefined;

/**
 * Shopify's Admin GraphQL schema for API 2026-10, built from the introspection result shipped
 * in @shopify/dev-mcp@1.16.0. Used by the emulator to execute queries and by tests that
 * validate every document the client sends.
 */
export function loadAdminSchema(file = ADMIN_SCHEMA_FILE): GraphQLSchema {
  if (cached && file === ADMIN_SCHEMA_FILE) return cached;
  if (!existsSync(file)) {
    throw new Error(
      `The Shopify Admin schema is missing (${path.relative(process.cwd(), file)}); ` +
        'run `node scripts/fetch-shopify-schema.mjs` (npm install runs it)',
    );
  }
  const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data: IntrospectionQuery };
  const schema = buildClientSchema(introspection.data, { assumeValid: true });
  if (file === ADMIN_SCHEMA_FILE) cached = schema;
  return schema;
}
