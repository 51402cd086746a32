import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { renderJson } from '../../src/synth/render';
import type {
  EnvironmentCatalog,
  TenantCatalog,
} from '@agentic-platform/agent-registry/catalog/schema';
import {
  CATALOG_KEY,
  CATALOG_LABEL,
  CATALOG_LABEL_VALUES,
  TENANT_LABEL,
} from '@agentic-platform/agent-registry/constants';

/** Kubernetes refuses a ConfigMap whose data exceeds 1 MiB. */
const CONFIGMAP_LIMIT_BYTES = 1_048_576;

export interface RegistryCatalogProps {
  readonly namespace: string;
  readonly name: string;
  /**
   * One part of the catalog, from `catalogPartsFromEnvironment`: the environment's (no
   * tenant data) or one tenant's.
   */
  readonly part: EnvironmentCatalog | TenantCatalog;
}

/**
 * One catalog part as a ConfigMap: stable JSON (sorted keys) under `catalog.json`, labelled
 * so the registry finds it by listing (`platform.agentic.io/registry-catalog`: `environment`
 * or `tenant`, plus `platform.agentic.io/tenant: <name>` on a tenant's part). The service
 * watches these objects and reloads on change, so no pod restarts when a tenant changes.
 */
export class RegistryCatalog extends Construct {
  public readonly name: string;
  public readonly json: string;

  constructor(scope: Construct, id: string, props: RegistryCatalogProps) {
    super(scope, id);
    this.name = props.name;
    this.json = renderJson(props.part);
    const bytes = Buffer.byteLength(this.json);
    if (bytes > CONFIGMAP_LIMIT_BYTES) {
      throw new Error(
        `RegistryCatalog ${props.name}: catalog part is ${bytes} bytes, over the 1 MiB ConfigMap limit; a tenant this large must be split into several tenants`,
      );
    }
    const tenant = 'tenant' in props.part ? props.part.tenant.name : undefined;
    new kplus.k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: tenant
          ? { [CATALOG_LABEL]: CATALOG_LABEL_VALUES.tenant, [TENANT_LABEL]: tenant }
          : { [CATALOG_LABEL]: CATALOG_LABEL_VALUES.environment },
      },
      data: { [CATALOG_KEY]: this.json },
    });
  }
}
