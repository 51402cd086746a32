import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LABELS, MANAGED_BY } from '../../src/model/conventions';
import type { TenantCatalog } from '@agentic-platform/agent-registry/catalog/schema';
import {
  REGISTRY_NAME,
  REGISTRY_NAMESPACE,
  tenantCatalogConfigMap,
} from '@agentic-platform/agent-registry/constants';
import { RegistryAuthzGrant } from './registry-authz-grant';
import { RegistryCatalog } from './registry-catalog';

export interface RegistryTenantBundleProps {
  /** The environment's name (a label on every object). */
  readonly environmentName: string;
  /** The tenant's catalog part (`catalogPartsFromEnvironment`). */
  readonly catalog: TenantCatalog;
  /**
   * The registry's namespace.
   *
   * @default REGISTRY_NAMESPACE
   */
  readonly namespace?: string;
  /**
   * The registry Service tenants' ext-authz policies call.
   *
   * @default REGISTRY_NAME
   */
  readonly serviceName?: string;
}

/**
 * What the registry holds for one tenant, in the registry's namespace: the tenant's catalog
 * part and the ReferenceGrant its ext-authz policy needs. A chart of its own, so the tenant's
 * objects are written to the tenant's own folder and no shared object grows with tenants.
 */
export class RegistryTenantBundle extends Chart {
  constructor(scope: Construct, id: string, props: RegistryTenantBundleProps) {
    const tenant = props.catalog.tenant;
    super(scope, id, {
      labels: {
        [LABELS.name]: REGISTRY_NAME,
        [LABELS.partOf]: 'agentic-platform',
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.environment]: props.environmentName,
        [LABELS.tenant]: tenant.name,
      },
    });
    if (props.catalog.environment !== props.environmentName) {
      throw new Error(
        `RegistryTenantBundle ${tenant.name}: catalog.environment is "${props.catalog.environment}" but environmentName is "${props.environmentName}"; build both from the same environment`,
      );
    }
    const ns = props.namespace ?? REGISTRY_NAMESPACE;
    new RegistryCatalog(this, 'Catalog', {
      namespace: ns,
      name: tenantCatalogConfigMap(tenant.name),
      part: props.catalog,
    });
    new RegistryAuthzGrant(this, 'AuthzGrant', {
      namespace: ns,
      serviceName: props.serviceName ?? REGISTRY_NAME,
      tenantNamespace: tenant.namespace,
    });
  }
}
