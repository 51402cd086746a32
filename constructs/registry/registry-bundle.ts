import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LABELS, MANAGED_BY } from '../../src/model/conventions';
import type { EnvironmentContext } from '../../src/model/types';
import type { EnvironmentCatalog } from '@agentic-platform/agent-registry/catalog/schema';
import {
  CATALOG_CONFIGMAP,
  REGISTRY_GATEWAY_PREFIX,
  REGISTRY_NAME,
  REGISTRY_NAMESPACE,
  REGISTRY_SERVICE_ACCOUNT,
  SERVICE_DATABASE_ROLE,
} from '@agentic-platform/agent-registry/constants';
import { PostgresCluster } from '../platform/postgres-cluster';
import { RegistryAuditSigner } from './registry-audit-signer';
import { RegistryAutoscaler } from './registry-autoscaler';
import { RegistryCatalog } from './registry-catalog';
import { RegistryCatalogReader } from './registry-catalog-reader';
import { RegistryDeployment } from './registry-deployment';
import { RegistryDisruptionBudget } from './registry-disruption-budget';
import { RegistryNamespace } from './registry-namespace';
import { RegistryNetworkPolicy } from './registry-network-policy';
import { RegistryRoute } from './registry-route';
import { RegistryService } from './registry-service';
import { RegistryServiceMonitor } from './registry-service-monitor';

export interface RegistryBundleProps {
  /** The environment: gateway and name. */
  readonly environment: EnvironmentContext;
  /**
   * The environment's part of the catalog (`catalogPartsFromEnvironment`), no tenant data:
   * tenants' parts and grants are RegistryTenantBundles of their own.
   */
  readonly catalog: EnvironmentCatalog;
  /**
   * Namespace Prometheus runs in.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 6 */
  readonly maxReplicas?: number;
  /** @default 2 */
  readonly databaseInstances?: number;
}

/**
 * Everything the agent registry needs in one environment, none of it tenant data: namespace,
 * the environment's catalog part, the right to read catalog ConfigMaps, database (owner role
 * for migrations, a certificate-only service role that may only insert audit rows), the audit
 * checkpoint signing key, workload,
 * Service, public route, network policy, disruption budget, autoscaler and scrape config.
 * Port, probe paths and env names come from the service's own constants and config schema
 * (packages/agent-registry), so this manifest and the program cannot disagree.
 */
export class RegistryBundle extends Chart {
  constructor(scope: Construct, id: string, props: RegistryBundleProps) {
    const labels = {
      [LABELS.name]: REGISTRY_NAME,
      [LABELS.partOf]: 'agentic-platform',
      [LABELS.managedBy]: MANAGED_BY,
      [LABELS.environment]: props.environment.name,
    };
    super(scope, id, { labels });
    const ns = REGISTRY_NAMESPACE;
    const selector = { [LABELS.name]: REGISTRY_NAME, [LABELS.component]: 'server' };
    const gw = props.environment.gateway;

    new RegistryNamespace(this, 'Namespace', { name: ns, labels });
    new RegistryCatalog(this, 'Catalog', {
      namespace: ns,
      name: CATALOG_CONFIGMAP,
      part: props.catalog,
    });
    const reader = new RegistryCatalogReader(this, 'CatalogReader', {
      namespace: ns,
      serviceAccountName: REGISTRY_SERVICE_ACCOUNT,
    });
    const database = new PostgresCluster(this, 'Database', {
      namespace: ns,
      name: `${REGISTRY_NAME}-db`,
      database: 'registry',
      instances: props.databaseInstances ?? 2,
      certificateRoles: [SERVICE_DATABASE_ROLE],
    });
    const signer = new RegistryAuditSigner(this, 'AuditSigner', {
      namespace: ns,
      name: `${REGISTRY_NAME}-audit-signer`,
    });
    const deployment = new RegistryDeployment(this, 'Deployment', {
      namespace: ns,
      name: REGISTRY_NAME,
      selector,
      serviceAccountName: reader.serviceAccountName,
      ownerDatabaseSecretName: database.credentialsSecret,
      ownerDatabaseSecretKey: PostgresCluster.URI_KEY,
      serviceDatabase: {
        host: database.readWriteHost,
        port: PostgresCluster.PORT,
        database: 'registry',
      },
      serviceClientCertSecretName: database.certificateRoleSecrets[SERVICE_DATABASE_ROLE]!,
      databaseCaSecretName: database.serverCaSecret,
      auditSigningKeySecretName: signer.secretName,
    });
    const service = new RegistryService(this, 'Service', {
      namespace: ns,
      name: REGISTRY_NAME,
      selector,
    });
    new RegistryRoute(this, 'Route', {
      namespace: ns,
      name: REGISTRY_NAME,
      pathPrefix: REGISTRY_GATEWAY_PREFIX,
      gatewayNamespace: gw.namespace,
      gatewayName: gw.name,
      listener: gw.publicListener,
      serviceName: service.name,
      servicePort: service.port,
    });
    new RegistryNetworkPolicy(this, 'NetworkPolicy', {
      namespace: ns,
      name: REGISTRY_NAME,
      selector,
      gatewayNamespace: gw.namespace,
      monitoringNamespace: props.monitoringNamespace ?? 'monitoring',
      databaseSelector: { 'cnpg.io/cluster': database.name },
    });
    new RegistryDisruptionBudget(this, 'DisruptionBudget', {
      namespace: ns,
      name: REGISTRY_NAME,
      selector,
    });
    new RegistryAutoscaler(this, 'Autoscaler', {
      namespace: ns,
      name: REGISTRY_NAME,
      deploymentName: deployment.name,
      ...(props.minReplicas !== undefined ? { minReplicas: props.minReplicas } : {}),
      ...(props.maxReplicas !== undefined ? { maxReplicas: props.maxReplicas } : {}),
    });
    new RegistryServiceMonitor(this, 'ServiceMonitor', {
      namespace: ns,
      name: REGISTRY_NAME,
      selector,
    });
  }
}
