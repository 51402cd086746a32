import type { BridgeAnnotation, IdentityName } from '../../src/model/gitops-bridge';
import { GITOPS_BRIDGE } from '../../src/model/gitops-bridge';

/**
 * Go-template references to the GitOps Bridge cluster Secret, for ApplicationSet templates
 * with `goTemplate: true`. A cluster generator exposes the Secret's labels and annotations as
 * `.metadata.labels` / `.metadata.annotations` and its API server as `.server`.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Cluster/
 */
export const bridge = {
  /** The value of a Terraform output the cluster layer wrote as an annotation. */
  annotation: (name: BridgeAnnotation): string =>
    `{{index .metadata.annotations "${GITOPS_BRIDGE.annotations[name]}"}}`,
  /** The AWS role ARN of an add-on's pod identity. */
  roleArn: (identity: IdentityName): string =>
    `{{index .metadata.annotations "${GITOPS_BRIDGE.identityAnnotations(identity).roleArn}"}}`,
  /** The API server of the generated cluster. */
  server: '{{.server}}',
} as const;

const ALLOWED =
  /\{\{(index \.metadata\.annotations "[a-z0-9_]+"|\.server|\.path\.basename|\.path\.path)\}\}/g;

/**
 * Throws when a string of a template holds `{{` that is not one of the references above: with
 * goTemplate on, the ApplicationSet controller would try to render a chart's own template
 * syntax (Grafana, Keycloak `tpl` strings) and fail or, worse, blank it.
 */
export function assertOnlyBridgeTemplates(value: unknown, where: string): void {
  const visit = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      if (v.replace(ALLOWED, '').includes('{{')) {
        throw new Error(
          `${where}: ${path} = ${JSON.stringify(v)} contains "{{" that the ApplicationSet would render; use bridge.* references, or write the chart template as {{ "{{" }}…`,
        );
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k);
  };
  visit(value, '');
}
