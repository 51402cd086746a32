import { Construct } from 'constructs';
import { McpServer, McpServerSpecTransportType } from '../../imports/kagent-mcpserver-kagent.dev';
import type { Scheduling } from '../../src/model/types';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from './private/restricted';

export interface TenantMcpServerProps {
  readonly namespace: string;
  readonly name: string;
  /** Image pinned by tag or digest. */
  readonly image: string;
  readonly port: number;
  /** HTTP path the server serves MCP on. */
  readonly path: string;
  readonly serviceAccountName: string;
  readonly scheduling: Scheduling;
  /**
   * Replicas of the server.
   *
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * An MCP server run by kmcp (kagent.dev/v1alpha1 MCPServer) over streamable HTTP. kmcp
 * creates its Deployment and a Service named after it, which agents and routes target.
 */
export class TenantMcpServer extends Construct {
  public readonly name: string;
  public readonly port: number;

  constructor(scope: Construct, id: string, props: TenantMcpServerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new Error(
        `TenantMcpServer ${props.name}: replicas must be a whole number >= 1, got ${replicas}`,
      );
    }
    this.name = props.name;
    this.port = props.port;
    new McpServer(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        transportType: McpServerSpecTransportType.HTTP,
        httpTransport: { targetPort: props.port, path: props.path },
        deployment: {
          image: props.image,
          port: props.port,
          replicas,
          serviceAccountName: props.serviceAccountName,
          nodeSelector: { ...props.scheduling.nodeSelector },
          tolerations: props.scheduling.tolerations.map((t) => ({ ...t, operator: 'Equal' })),
          podSecurityContext: RESTRICTED_POD_SECURITY,
          securityContext: { ...RESTRICTED_CONTAINER_SECURITY, capabilities: { drop: ['ALL'] } },
        },
      },
    });
  }
}
