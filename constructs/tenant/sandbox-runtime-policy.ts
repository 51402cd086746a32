import { Construct } from 'constructs';
import { NamespacedMutatingPolicyV1Beta1 } from '../../imports/kyverno-namespacedmutatingpolicy-policies.kyverno.io';

export interface SandboxRuntimePolicyProps {
  readonly namespace: string;
  /** RuntimeClass (gVisor) every pod of the namespace runs with. */
  readonly runtimeClassName: string;
}

/**
 * Puts every pod of a dedicated-tier namespace into the gVisor sandbox. kagent's Agent and
 * kmcp's MCPServer have no runtimeClassName field, so the class is set at admission on the
 * pods their controllers create.
 */
export class SandboxRuntimePolicy extends Construct {
  constructor(scope: Construct, id: string, props: SandboxRuntimePolicyProps) {
    super(scope, id);
    new NamespacedMutatingPolicyV1Beta1(this, 'Resource', {
      metadata: { name: 'sandbox-runtime', namespace: props.namespace },
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          ],
        },
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: {
              expression: `Object{spec: Object.spec{runtimeClassName: "${props.runtimeClassName}"}}`,
            },
          },
        ],
      },
    });
  }
}
