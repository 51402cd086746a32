import { Construct } from 'constructs';
import { assertKeycloakRealmUrl } from './private/keycloak';
import { LANGFUSE_REDIS } from '../../src/model/gitops-bridge';
import { bridge } from '../gitops/bridge-template';
import type { AddonDatabase, AddonProps, Placement } from './addon-props';
import { chartApplication } from './private/chart-application';

interface SecretKeyRef {
  readonly secretKeyRef: { readonly name: string; readonly key: string };
}
interface Pods {
  readonly nodeSelector: Placement['nodeSelector'];
  readonly tolerations: Placement['tolerations'];
}

/** Values we set on the ClickHouse operator chart. */
export interface ClickHouseOperatorValues {
  readonly manager: Pods;
}

/** Values we set on langfuse 2.0.0 (Langfuse 4.4.0). */
export interface LangfuseValues {
  readonly langfuse: Pods & {
    readonly replicas: number;
    readonly salt: SecretKeyRef;
    readonly encryptionKey: SecretKeyRef;
    readonly nextauth: { readonly url: string; readonly secret: SecretKeyRef };
    readonly features: { readonly signUpDisabled: boolean };
    /** Extra container env (EnvVar list): the Keycloak SSO settings. */
    readonly additionalEnv?: readonly (
      | { readonly name: string; readonly value: string }
      | { readonly name: string; readonly valueFrom: SecretKeyRef }
    )[];
    readonly web: {
      readonly pdb: { readonly create: boolean; readonly minAvailable: number | '' };
    };
  };
  readonly postgresql: {
    readonly deploy: false;
    readonly host: string;
    readonly auth: {
      readonly username: string;
      readonly database: string;
      readonly existingSecret: string;
      readonly secretKeys: { readonly userPasswordKey: string };
    };
  };
  readonly redis: {
    readonly deploy: false;
    readonly host: string;
    readonly auth: {
      readonly username: string;
      readonly existingSecret: string;
      readonly existingSecretPasswordKey: string;
    };
    readonly tls: { readonly enabled: boolean };
  };
  readonly s3: {
    readonly deploy: false;
    readonly bucket: string;
    readonly region: string;
    readonly endpoint: string;
    readonly forcePathStyle: boolean;
  };
  readonly clickhouse: {
    readonly deploy: true;
    /** Off so Argo CD's `helm template` works before the operator's CRDs exist. */
    readonly crdCheck: boolean;
    readonly auth: { readonly existingSecret: string; readonly existingSecretKey: string };
    readonly cluster: Pods & { readonly replicas: number };
    readonly keeper: Pods & { readonly replicas: number };
  };
}

export interface LangfuseAddonProps extends AddonProps {
  /** Public hostname, e.g. `langfuse.dev.example.com`. */
  readonly hostname: string;
  /**
   * Secret with keys salt, encryption-key, nextauth-secret, clickhouse-password, the database
   * password (`database.key`), and with `keycloak` the client secret key it names.
   */
  readonly secretName: string;
  /**
   * Its database on the environment's PostgreSQL; the password is read from `secretName`
   * (`database.secret` must name the same Secret).
   */
  readonly database: AddonDatabase;
  /** Secret with the Redis password under LANGFUSE_REDIS.passwordKey (also read by Terraform). */
  readonly redisSecretName: string;
  /**
   * Sign-in through the platform's Keycloak realm, replacing email/password. The client
   * secret is read from `secretName` under `clientSecretKey`.
   *
   * @default - none: email/password accounts, with self sign-up disabled
   */
  readonly keycloak?: {
    /** Realm URL, e.g. `https://keycloak.dev.example.com/realms/platform`. */
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecretKey: string;
  };
}

/**
 * Langfuse 2.0.0 (chart 2.x, Langfuse v4): the 2.0.0 break replaces the Bitnami sub-charts,
 * which only matters when upgrading a v1 release with bundled stores. This platform installs
 * fresh and keeps Postgres (RDS), Redis (ElastiCache) and S3 outside the chart, so the break
 * costs nothing, while staying on 1.5.41 would pin images of the retired Bitnami catalogue.
 * ClickHouse runs in-cluster through the ClickHouse operator (installed alongside, in the
 * dependentOperators wave). Every secret is pinned to one Secret: `helm template` cannot `lookup`, so generated
 * secrets would change on every sync (chart README).
 */
export class LangfuseAddon extends Construct {
  constructor(scope: Construct, id: string, props: LangfuseAddonProps) {
    super(scope, id);
    const ha = props.highAvailability ?? false;
    const pods: Pods = {
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
    };
    const ref = (key: string): SecretKeyRef => ({ secretKeyRef: { name: props.secretName, key } });
    if (props.database.secret !== props.secretName) {
      throw new Error(
        `LangfuseAddon: database.secret "${props.database.secret}" differs from secretName "${props.secretName}"; the chart reads the database password from secretName, so set database.secret to it`,
      );
    }
    const kc = props.keycloak;
    if (kc) assertKeycloakRealmUrl('LangfuseAddon', 'keycloak.issuer', kc.issuer);
    // The operator's manager Deployment reads `manager.*` placement (chart values.yaml).
    const operatorValues: ClickHouseOperatorValues = { manager: pods };
    chartApplication(this, props, {
      addon: 'langfuse',
      chart: 'clickhouse-operator',
      namespace: 'langfuse',
      // Its webhook certificate is a cert-manager Certificate: after cert-manager's CRDs.
      syncWave: 'dependentOperators',
      values: operatorValues,
    });
    const values: LangfuseValues = {
      langfuse: {
        ...pods,
        replicas: ha ? 2 : 1,
        salt: ref('salt'),
        encryptionKey: ref('encryption-key'),
        nextauth: { url: `https://${props.hostname}`, secret: ref('nextauth-secret') },
        // With SSO, a first Keycloak login creates the Langfuse user (who sees nothing until
        // an organization adds them); email/password, and so open sign-up, is switched off.
        // Without SSO, nobody may sign themselves up.
        features: { signUpDisabled: !kc },
        ...(kc
          ? {
              additionalEnv: [
                { name: 'AUTH_KEYCLOAK_ISSUER', value: kc.issuer },
                { name: 'AUTH_KEYCLOAK_CLIENT_ID', value: kc.clientId },
                { name: 'AUTH_KEYCLOAK_CLIENT_SECRET', valueFrom: ref(kc.clientSecretKey) },
                { name: 'AUTH_DISABLE_USERNAME_PASSWORD', value: 'true' },
              ],
            }
          : {}),
        web: { pdb: { create: ha, minAvailable: ha ? 1 : '' } },
      },
      postgresql: {
        deploy: false,
        host: bridge.annotation('postgresEndpoint'),
        auth: {
          username: props.database.name,
          database: props.database.name,
          existingSecret: props.secretName,
          secretKeys: { userPasswordKey: props.database.key },
        },
      },
      redis: {
        deploy: false,
        host: bridge.annotation('redisEndpoint'),
        auth: {
          username: LANGFUSE_REDIS.user,
          existingSecret: props.redisSecretName,
          existingSecretPasswordKey: LANGFUSE_REDIS.passwordKey,
        },
        // ElastiCache is created with transit encryption required: plain TCP is refused.
        tls: { enabled: true },
      },
      s3: {
        deploy: false,
        bucket: bridge.annotation('langfuseBucket'),
        region: bridge.annotation('region'),
        endpoint: '',
        forcePathStyle: false,
      },
      clickhouse: {
        deploy: true,
        crdCheck: false,
        auth: { existingSecret: props.secretName, existingSecretKey: 'clickhouse-password' },
        cluster: { ...pods, replicas: ha ? 2 : 1 },
        keeper: { ...pods, replicas: ha ? 3 : 1 },
      },
    };
    chartApplication(this, props, {
      addon: 'langfuse',
      chart: 'langfuse',
      namespace: 'langfuse',
      syncWave: 'services',
      values,
    });
  }
}
