import { describe, expect, it } from 'vitest';
import { SandboxRuntimePolicy } from '../../../constructs/tenant/sandbox-runtime-policy';
import { TenantAgent } from '../../../constructs/tenant/tenant-agent';
import { TenantMcpServer } from '../../../constructs/tenant/tenant-mcp-server';
import { NODE_GROUPS } from '../../../src/model/conventions';
import { find, objectsOf } from '../../construct-helpers';

const scheduling = {
  nodeSelector: NODE_GROUPS.agents.labels,
  tolerations: [NODE_GROUPS.agents.taint],
};
const restricted = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
const serverProps = {
  namespace: 'acme',
  name: 'gh',
  image: 'ghcr.io/a/b:1.0.0',
  port: 3000,
  path: '/mcp',
  serviceAccountName: 'mcp-gh',
  scheduling,
};

describe('TenantMcpServer', () => {
  const server = find(
    objectsOf((s) => new TenantMcpServer(s, 'm', serverProps)),
    'MCPServer',
    'gh',
  );

  it('runs the pinned image over streamable HTTP with its own service account', () => {
    expect(server.apiVersion).toBe('kagent.dev/v1alpha1');
    expect(server.spec.transportType).toBe('http');
    expect(server.spec.httpTransport).toEqual({ targetPort: 3000, path: '/mcp' });
    expect(server.spec.deployment).toMatchObject({
      image: 'ghcr.io/a/b:1.0.0',
      port: 3000,
      replicas: 1,
      serviceAccountName: 'mcp-gh',
    });
  });

  it('schedules onto the agents node group with a restricted security context', () => {
    expect(server.spec.deployment.nodeSelector).toEqual({ workload: 'agents' });
    expect(server.spec.deployment.tolerations).toEqual([
      { key: 'workload', value: 'agents', effect: 'NoSchedule', operator: 'Equal' },
    ]);
    expect(server.spec.deployment.securityContext).toEqual(restricted);
  });

  it('throws on a replica count below one', () => {
    expect(() =>
      objectsOf((s) => new TenantMcpServer(s, 'm', { ...serverProps, replicas: 0 })),
    ).toThrow(/replicas must be a whole number >= 1, got 0/);
  });
});

describe('TenantAgent', () => {
  const agent = find(
    objectsOf(
      (s) =>
        new TenantAgent(s, 'a', {
          namespace: 'acme',
          name: 'triage',
          description: 'd',
          modelConfigName: 'gpt',
          systemMessage: 'be brief',
          tools: [{ server: 'gh', toolNames: ['search'] }],
          skills: [{ id: 's', name: 'S', description: 'sd', tags: ['t'], examples: [] }],
          serviceAccountName: 'agent-triage',
          scheduling,
          otlpEndpoint: 'http://otel:4317',
        }),
    ),
    'Agent',
    'triage',
  );

  it('is a declarative v1alpha2 Agent bound to its model config', () => {
    expect(agent.apiVersion).toBe('kagent.dev/v1alpha2');
    expect(agent.spec.type).toBe('Declarative');
    expect(agent.spec.declarative).toMatchObject({ modelConfig: 'gpt', systemMessage: 'be brief' });
  });

  it('references its MCP servers by kind with only the allowed tools', () => {
    expect(agent.spec.declarative.tools).toEqual([
      {
        type: 'McpServer',
        mcpServer: { apiGroup: 'kagent.dev', kind: 'MCPServer', name: 'gh', toolNames: ['search'] },
      },
    ]);
  });

  it('publishes its skills in a2aConfig', () => {
    expect(agent.spec.declarative.a2aConfig.skills).toEqual([
      { id: 's', name: 'S', description: 'sd', tags: ['t'] },
    ]);
  });

  it('propagates W3C trace context to the collector', () => {
    expect(agent.spec.declarative.deployment.env).toEqual(
      expect.arrayContaining([
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel:4317' },
        { name: 'OTEL_PROPAGATORS', value: 'tracecontext,baggage' },
        { name: 'DISABLE_AIOHTTP_TRANSPORT', value: 'True' },
      ]),
    );
  });

  it('runs with its own service account and a restricted security context', () => {
    expect(agent.spec.declarative.deployment).toMatchObject({
      serviceAccountName: 'agent-triage',
      securityContext: restricted,
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
  });
});

describe('SandboxRuntimePolicy', () => {
  it('sets the sandbox RuntimeClass on every pod created in the namespace', () => {
    const p = find(
      objectsOf(
        (s) =>
          new SandboxRuntimePolicy(s, 'p', { namespace: 'initech', runtimeClassName: 'gvisor' }),
      ),
      'NamespacedMutatingPolicy',
      'sandbox-runtime',
    );
    expect(p.apiVersion).toBe('policies.kyverno.io/v1beta1');
    expect(p.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
    ]);
    expect(p.spec.mutations).toEqual([
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: 'Object{spec: Object.spec{runtimeClassName: "gvisor"}}' },
      },
    ]);
  });
});
