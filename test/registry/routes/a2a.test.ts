import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keycloakIssuer } from '@agentic-platform/agent-registry/catalog/identity';
import { checkMessage, loadProto } from '../a2a-proto';
import { startRegistry, type TestRegistry } from '../helpers';

describe('A2A Agent Cards', () => {
  let r: TestRegistry;
  const proto = loadProto();
  beforeAll(async () => {
    r = await startRegistry();
  });
  afterAll(() => r.app.close());

  const published = () => r.catalogData.agents.filter((a) => a.route);

  it('serves a card for every published agent that conforms to lf.a2a.v1.AgentCard', async () => {
    expect(published().length).toBeGreaterThan(0);
    for (const agent of published()) {
      const res = await r.app.inject({ url: `${agent.route!.path}/.well-known/agent-card.json` });
      expect(res.statusCode).toBe(200);
      expect(checkMessage(proto, 'AgentCard', res.json())).toEqual([]);
    }
  });

  it('points the interface at the gateway route and declares the binding', async () => {
    const card = (
      await r.app.inject({ url: '/a2a/acme/triage/.well-known/agent-card.json' })
    ).json();
    expect(card.supportedInterfaces).toEqual([
      {
        url: `https://${r.catalogData.gateway.publicHost}/a2a/acme/triage`,
        protocolBinding: 'JSONRPC',
        protocolVersion: '0.3',
      },
    ]);
    expect(card.skills.map((s: { id: string }) => s.id)).toEqual(['triage-issue']);
  });

  it('declares the platform Keycloak as OpenID Connect scheme, derived from the domain', async () => {
    const card = (
      await r.app.inject({ url: '/a2a/acme/triage/.well-known/agent-card.json' })
    ).json();
    const issuer = keycloakIssuer(r.catalogData.domain);
    expect(issuer).toBe('https://keycloak.dev.agents-platform.example.com/realms/platform');
    expect(card.securitySchemes.platformOidc).toEqual({
      openIdConnectSecurityScheme: expect.objectContaining({
        openIdConnectUrl: `${issuer}/.well-known/openid-configuration`,
      }),
    });
    expect(card.securityRequirements).toContainEqual({
      schemes: { platformOidc: { list: ['openid'] } },
    });
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const url = '/a2a/acme/triage/.well-known/agent-card.json';
    const first = await r.app.inject({ url });
    const etag = first.headers.etag as string;
    const again = await r.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('answers 404 for an agent that is not published', async () => {
    const hidden = r.catalogData.agents.find((a) => !a.route);
    const url = hidden
      ? `/a2a/${hidden.tenant}/${hidden.name}/.well-known/agent-card.json`
      : '/a2a/acme/nope/.well-known/agent-card.json';
    expect((await r.app.inject({ url })).statusCode).toBe(404);
  });

  it('gives an agent without skills one skill from its description (A2A requires one)', async () => {
    const catalog = structuredClone(r.catalogData);
    catalog.agents = catalog.agents.map((a) => (a.name === 'triage' ? { ...a, skills: [] } : a));
    const r2 = await startRegistry({ catalog });
    const card = (
      await r2.app.inject({ url: '/a2a/acme/triage/.well-known/agent-card.json' })
    ).json();
    expect(card.skills).toEqual([
      { id: 'triage', name: 'triage', description: card.description, tags: ['acme'] },
    ]);
    expect(checkMessage(proto, 'AgentCard', card)).toEqual([]);
    await r2.app.close();
  });

  it('the proto checker rejects a card with a missing required field or a wrong name', () => {
    expect(checkMessage(proto, 'AgentCard', { name: 'x' })).toContain(
      'AgentCard.description: REQUIRED',
    );
    expect(
      checkMessage(proto, 'AgentInterface', {
        url: 'u',
        protocol_binding: 'JSONRPC',
        protocolVersion: '1.0',
      }),
    ).toContain('AgentInterface.protocol_binding: not a field of AgentInterface');
  });
});
