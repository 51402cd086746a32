import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';

export interface WorkloadServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  /**
   * Mount the Kubernetes API token into pods using this account.
   *
   * @default false - agents and MCP servers do not call the Kubernetes API; a mounted token
   * would only be something to steal.
   */
  readonly automountToken?: boolean;
}

/** The identity of one agent or MCP server: its own ServiceAccount, so its mesh identity is its own. */
export class WorkloadServiceAccount extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    new kplus.ServiceAccount(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      automountToken: props.automountToken ?? false,
    });
  }
}
