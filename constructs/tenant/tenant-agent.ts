import { Construct } from 'constructs';
import {
  AgentV1Alpha2,
  AgentV1Alpha2SpecDeclarativeToolsType,
  AgentV1Alpha2SpecType,
} from '../../imports/kagent-agent-kagent.dev';
import type { ResolvedAgentTool, ResolvedSkill, Scheduling } from '../../src/model/types';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from './private/restricted';

export interface TenantAgentProps {
  readonly namespace: string;
  readonly name: string;
  readonly description: string;
  /** ModelConfig in the same namespace. */
  readonly modelConfigName: string;
  readonly systemMessage: string;
  /** MCP servers (kmcp MCPServer in the same namespace) and the tools the agent may call. */
  readonly tools: readonly ResolvedAgentTool[];
  /** A2A skills published in the agent card. */
  readonly skills: readonly ResolvedSkill[];
  readonly serviceAccountName: string;
  readonly scheduling: Scheduling;
  /** OTLP endpoint the agent runtime exports traces to. */
  readonly otlpEndpoint: string;
}

/** A declarative kagent Agent (v1alpha2, the storage version) wired to its model and tools. */
export class TenantAgent extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: TenantAgentProps) {
    super(scope, id);
    this.name = props.name;
    new AgentV1Alpha2(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        type: AgentV1Alpha2SpecType.DECLARATIVE,
        description: props.description,
        declarative: {
          modelConfig: props.modelConfigName,
          systemMessage: props.systemMessage,
          tools: props.tools.map((t) => ({
            type: AgentV1Alpha2SpecDeclarativeToolsType.MCP_SERVER,
            mcpServer: {
              apiGroup: 'kagent.dev',
              kind: 'MCPServer',
              name: t.server,
              toolNames: [...t.toolNames],
            },
          })),
          ...(props.skills.length > 0
            ? {
                a2AConfig: {
                  skills: props.skills.map((s) => ({
                    id: s.id,
                    name: s.name,
                    description: s.description,
                    tags: [...s.tags],
                    ...(s.examples.length > 0 ? { examples: [...s.examples] } : {}),
                  })),
                },
              }
            : {}),
          deployment: {
            serviceAccountName: props.serviceAccountName,
            nodeSelector: { ...props.scheduling.nodeSelector },
            tolerations: props.scheduling.tolerations.map((t) => ({ ...t, operator: 'Equal' })),
            podSecurityContext: RESTRICTED_POD_SECURITY,
            securityContext: { ...RESTRICTED_CONTAINER_SECURITY, capabilities: { drop: ['ALL'] } },
            // W3C trace context to the platform collector; aiohttp's transport bypasses the
            // OpenTelemetry instrumentation of httpx, so it is switched off.
            env: [
              { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: props.otlpEndpoint },
              { name: 'OTEL_PROPAGATORS', value: 'tracecontext,baggage' },
              { name: 'OTEL_SERVICE_NAME', value: `${props.name}.${props.namespace}` },
              { name: 'DISABLE_AIOHTTP_TRANSPORT', value: 'True' },
            ],
          },
        },
      },
    });
  }
}
