import { Construct } from 'constructs';
import { bridge } from '../gitops/bridge-template';
import type { AddonDatabase, AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

/** Values we set on keycloakx 7.1.11 (Keycloak 26.5.6). */
export interface KeycloakxValues {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly minAvailable?: number };
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
  readonly command: readonly string[];
  readonly http: { readonly relativePath: string };
  readonly proxy: { readonly enabled: boolean; readonly mode: 'xforwarded' | 'forwarded' };
  readonly database: {
    readonly vendor: 'postgres';
    readonly hostname: string;
    readonly port: number;
    readonly database: string;
    readonly username: string;
    readonly existingSecret: string;
    readonly existingSecretKey: string;
  };
  readonly dbchecker: { readonly enabled: boolean };
  /** Rendered by the chart with `tpl`: a YAML string, not a list. */
  readonly extraEnv: string;
  readonly extraVolumes: string;
  readonly extraVolumeMounts: string;
  readonly metrics: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: boolean };
}

export interface KeycloakAddonProps extends AddonProps {
  /** Public hostname, e.g. `keycloak.dev.example.com`. */
  readonly hostname: string;
  /** ConfigMap (namespace keycloak) holding `<realm>.json` files imported at start. */
  readonly realmConfigMap: string;
  /** Its database (role, database name and password Secret) on the environment's PostgreSQL. */
  readonly database: AddonDatabase;
  /**
   * Bootstrap admin client Keycloak creates in the master realm at first start; the realm
   * convergence Job authenticates with it (client credentials).
   */
  readonly adminClientId: string;
  /** Secret holding that client's secret under key `clientSecret`. */
  readonly adminSecret: string;
}

/**
 * Keycloak from the codecentric keycloakx chart, on the environment's RDS PostgreSQL
 * (endpoint from the cluster Secret). The base realm is imported at first start from a
 * ConfigMap (`kc.sh start --import-realm` reads /opt/keycloak/data/import; an existing realm
 * is left as is, so that is only the first boot); every later change, and every tenant's
 * groups, reach the running Keycloak through the realm convergence (platform/keycloak's
 * PostSync Job and CronJob, each tenant's PostSync Job), which authenticates as the
 * bootstrap admin client set here.
 */
export class KeycloakAddon extends Construct {
  constructor(scope: Construct, id: string, props: KeycloakAddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const monitor = props.monitoring ?? true;
    const values: KeycloakxValues = {
      replicas: ha ? 2 : 1,
      podDisruptionBudget: ha ? { minAvailable: 1 } : {},
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      command: ['/opt/keycloak/bin/kc.sh', 'start', '--http-port=8080', '--import-realm'],
      http: { relativePath: '/' },
      proxy: { enabled: true, mode: 'xforwarded' },
      database: {
        vendor: 'postgres',
        hostname: bridge.annotation('postgresEndpoint'),
        port: 5432,
        database: props.database.name,
        username: props.database.name,
        existingSecret: props.database.secret,
        existingSecretKey: props.database.key,
      },
      dbchecker: { enabled: true },
      extraEnv: [
        '- name: KC_HOSTNAME',
        `  value: https://${props.hostname}`,
        '- name: KC_HEALTH_ENABLED',
        '  value: "true"',
        '- name: KC_BOOTSTRAP_ADMIN_CLIENT_ID',
        `  value: ${props.adminClientId}`,
        '- name: KC_BOOTSTRAP_ADMIN_CLIENT_SECRET',
        '  valueFrom:',
        '    secretKeyRef:',
        `      name: ${props.adminSecret}`,
        '      key: clientSecret',
        '',
      ].join('\n'),
      extraVolumes: [
        '- name: realm-import',
        '  configMap:',
        `    name: ${props.realmConfigMap}`,
        '',
      ].join('\n'),
      extraVolumeMounts: [
        '- name: realm-import',
        '  mountPath: /opt/keycloak/data/import',
        '  readOnly: true',
        '',
      ].join('\n'),
      metrics: { enabled: monitor },
      serviceMonitor: { enabled: monitor },
    };
    chartApplication(this, props, {
      addon: 'keycloak',
      chart: 'keycloakx',
      name: 'keycloak',
      namespace: 'keycloak',
      syncWave: 'services',
      values,
    });
  }
}
