import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers';

describe('OpenAPI document', () => {
  let r: TestRegistry;
  let doc: { openapi: string; paths: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    r = await startRegistry();
    doc = (await r.app.inject({ url: '/openapi.json' })).json();
  });
  afterAll(() => r.app.close());

  it('is OpenAPI 3.1 and validates against the vendored 3.1 meta-schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // Ajv resolves `$dynamicRef: "#meta"` to the wrong scope here; without a dialect
    // extension it means the document's own `$defs/schema` (the `meta` anchor), so point it
    // there statically. Everything else is the upstream schema as vendored.
    const text = readFileSync('schemas/specs/openapi/v3.1/schema.json', 'utf8').replaceAll(
      '"$dynamicRef": "#meta"',
      '"$ref": "#/$defs/schema"',
    );
    const validate = ajv.compile(JSON.parse(text));
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('documents every route the app serves', () => {
    const routes = r.app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .filter((l) => l.includes('('));
    expect(routes.length).toBeGreaterThan(0);
    const expected = [
      ['/healthz', 'get'],
      ['/readyz', 'get'],
      ['/metrics', 'get'],
      ['/openapi.json', 'get'],
      ['/v1/tenants', 'get'],
      ['/v1/tenants/{tenant}', 'get'],
      ['/v1/agents', 'get'],
      ['/v1/agents/{tenant}/{name}', 'get'],
      ['/v1/mcp-servers', 'get'],
      ['/v1/mcp-servers/{tenant}/{name}', 'get'],
      ['/v1/models', 'get'],
      ['/v1/models/{tenant}/{name}', 'get'],
      ['/a2a/{segment}/{agent}/.well-known/agent-card.json', 'get'],
      ['/v0.1/servers', 'get'],
      ['/v0.1/servers/{serverName}/versions', 'get'],
      ['/v0.1/servers/{serverName}/versions/{version}', 'get'],
      ['/v1/tenants/{tenant}/keys', 'post'],
      ['/v1/tenants/{tenant}/keys', 'get'],
      ['/v1/tenants/{tenant}/keys/{keyId}', 'delete'],
      ['/v1/tenants/{tenant}/usage', 'get'],
      ['/v1/audit', 'get'],
      ['/v1/audit/verify', 'get'],
    ] as const;
    for (const [path, method] of expected) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const authz = Object.keys(doc.paths).find((p) => p.startsWith('/ext-authz/'));
    expect(authz).toBeDefined();
  });

  it('carries the request schemas of the routes (generated from zod)', () => {
    const post = doc.paths['/v1/tenants/{tenant}/keys']!.post as {
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
    };
    expect(post.requestBody.content['application/json'].schema.required).toEqual([
      'name',
      'scopes',
    ]);
  });
});
