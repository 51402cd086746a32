import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Placement } from '../addons/addon-props';

export interface SandboxRuntimeClassProps {
  /** RuntimeClass name (SANDBOX_RUNTIME_CLASS) the dedicated tier's pods reference. */
  readonly name: string;
  /** Node group that has the runtime installed (NODE_GROUPS.dedicated). */
  readonly placement: Placement;
  /**
   * CRI handler configured on those nodes.
   *
   * @default 'runsc' - gVisor
   */
  readonly handler?: string;
}

/**
 * The gVisor RuntimeClass. Its scheduling block adds the dedicated node group's selector and
 * toleration to every pod that uses it, so a sandboxed pod can only land where runsc exists.
 */
export class SandboxRuntimeClass extends Construct {
  constructor(scope: Construct, id: string, props: SandboxRuntimeClassProps) {
    super(scope, id);
    new k8s.KubeRuntimeClass(this, 'Resource', {
      metadata: { name: props.name },
      handler: props.handler ?? 'runsc',
      scheduling: {
        nodeSelector: { ...props.placement.nodeSelector },
        tolerations: props.placement.tolerations.map((t) => ({ ...t })),
      },
    });
  }
}
