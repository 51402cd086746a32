import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/**
 * Requests built to hit each route's error paths (bad parameters, an overlong parameter,
 * bad query and body, no credentials); every status the app answers must be one the OpenAPI
 * document declares for that operation.
 */
describe('OpenAPI statuses', () => {
  let r: TestRegistry;
  let doc: Doc;
  beforeAll(async () => {
    r = await startRegistry();
    doc = (await r.app.inject({ url: '/openapi.json' })).json();
  });
  afterAll(() => r.app.close());

  const long = 'x'.repeat(600);
  const bad = 'UPPER_CASE';
  const probes: [method: string, url: string, template: string, payload?: unknown][] = [
    [
      'GET',
      `/a2a/${bad}${'y'.repeat(70)}/triage/.well-known/agent-card.json`,
      '/a2a/{segment}/{agent}/.well-known/agent-card.json',
    ],
    [
      'GET',
      `/a2a/${long}/triage/.well-known/agent-card.json`,
      '/a2a/{segment}/{agent}/.well-known/agent-card.json',
    ],
    ['GET', `/v0.1/servers/${'n'.repeat(300)}/versions`, '/v0.1/servers/{serverName}/versions'],
    ['GET', `/v0.1/servers/${long}/versions`, '/v0.1/servers/{serverName}/versions'],
    [
      'GET',
      `/v0.1/servers/a%2Fb/versions/${'v'.repeat(300)}`,
      '/v0.1/servers/{serverName}/versions/{version}',
    ],
    ['GET', `/v1/tenants/${long}`, '/v1/tenants/{tenant}'],
    ['GET', '/v1/agents?limit=0', '/v1/agents'],
    ['GET', `/v1/agents/acme/${long}`, '/v1/agents/{tenant}/{name}'],
    ['GET', '/v0.1/servers?limit=abc', '/v0.1/servers'],
    ['POST', '/v1/tenants/acme/keys', '/v1/tenants/{tenant}/keys', { nope: 1 }],
    ['DELETE', '/v1/tenants/acme/keys/NOT-AN-ID', '/v1/tenants/{tenant}/keys/{keyId}'],
    ['GET', '/v1/tenants/acme/usage?from=x', '/v1/tenants/{tenant}/usage'],
    ['GET', '/v1/audit?limit=abc', '/v1/audit'],
    ['POST', '/ext-authz/a2a/acme/triage/../x', '/ext-authz/*'],
    ['POST', `/ext-authz/${long}`, '/ext-authz/*'],
  ];

  it.each(probes)(
    '%s %s answers a status its operation declares',
    async (method, url, template, payload) => {
      const res = await r.app.inject({
        method: method as 'GET',
        url,
        ...(payload ? { payload: payload as object } : {}),
      });
      const key =
        template === '/ext-authz/*'
          ? Object.keys(doc.paths).find((p) => p.startsWith('/ext-authz/'))!
          : template;
      const op = doc.paths[key]?.[method.toLowerCase()];
      expect(op, `${method} ${template} in the document`).toBeDefined();
      expect(Object.keys(op!.responses), `${method} ${url} → ${res.statusCode}`).toContain(
        String(res.statusCode),
      );
    },
  );

  it('authenticates before it validates: no token, bad input → 401', async () => {
    for (const [method, url, payload] of [
      ['POST', '/v1/tenants/acme/keys', { nope: 1 }],
      ['POST', '/v1/tenants/acme/keys', 'not json'],
      ['GET', '/v1/tenants/acme/usage?from=yesterday', undefined],
      ['GET', '/v1/audit?limit=-1', undefined],
      ['DELETE', '/v1/tenants/acme/keys/NOT-AN-ID', undefined],
    ] as const) {
      const res = await r.app.inject({
        method,
        url,
        ...(payload !== undefined
          ? { payload: payload as string, headers: { 'content-type': 'application/json' } }
          : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
