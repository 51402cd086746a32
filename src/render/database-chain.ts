// The script's own constants (not the construct), so the renderer loads no cdk8s.
import { BOOTSTRAP_ENV } from '../../constructs/platform/private/postgres-bootstrap-script';
import type { RenderFinding } from './check-rendered';
import type { RenderedObject } from './helm';
import type { SyncUnit } from './bring-up-order';

/**
 * How a chart's pods name the database they connect to, as the rendered env shows it. Only
 * charts whose database is on the environment's PostgreSQL (the RDS instance the bootstrap
 * provisions) are listed; kagent's CloudNativePG cluster reads a URL file instead.
 */
export const DATABASE_ENV: readonly {
  readonly chart: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}[] = [
  // keycloakx 7.1.11 templates/statefulset.yaml: database.database/username/existingSecret(Key).
  {
    chart: 'keycloakx',
    database: 'KC_DB_URL_DATABASE',
    user: 'KC_DB_USERNAME',
    password: 'KC_DB_PASSWORD',
  },
  // langfuse 2.0.0 templates/_helpers.tpl (postgresql.auth.*), on the web and worker pods.
  {
    chart: 'langfuse',
    database: 'DATABASE_NAME',
    user: 'DATABASE_USERNAME',
    password: 'DATABASE_PASSWORD',
  },
];

interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}
interface Container {
  readonly env?: readonly EnvVar[];
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string }[];
}
interface PodSpec {
  readonly containers?: readonly Container[];
  readonly volumes?: readonly {
    readonly name: string;
    readonly secret?: { readonly secretName: string };
  }[];
}

/** A Secret key, by namespace. */
export interface SecretKeyRef {
  readonly namespace: string;
  readonly secret: string;
  readonly key: string;
}

/** A pod that connects to a database: as `user`, to `database`, with the password at `password`. */
export interface DatabaseUse {
  readonly unit: string;
  readonly resource: string;
  readonly database: string;
  readonly user: string;
  readonly password: SecretKeyRef;
}

/** A role (and database of the same name) a bootstrap Job creates, with its password's Secret key. */
export interface DatabaseProvision {
  readonly unit: string;
  readonly resource: string;
  readonly role: string;
  readonly password: SecretKeyRef;
}

function podSpecOf(o: RenderedObject): PodSpec | undefined {
  const spec = o.spec as { template?: { spec?: PodSpec } } | undefined;
  return spec?.template?.spec;
}

/** What `needs` reads for a database: the role and the database it owns. */
export function databaseNeed(database: string, user: string): string {
  return `Database ${database} (role ${user})`;
}

/** Every pod of the units that connects to a database through a DATABASE_ENV convention. */
export function databaseUses(units: readonly SyncUnit[]): DatabaseUse[] {
  const out: DatabaseUse[] = [];
  for (const u of units)
    for (const o of u.objects) {
      const pod = podSpecOf(o);
      for (const c of pod?.containers ?? []) {
        const env = new Map((c.env ?? []).map((e) => [e.name, e]));
        for (const conv of DATABASE_ENV) {
          const database = env.get(conv.database)?.value;
          const user = env.get(conv.user)?.value;
          const ref = env.get(conv.password)?.valueFrom?.secretKeyRef;
          if (database === undefined || user === undefined || !ref) continue;
          out.push({
            unit: u.name,
            resource: `${o.kind}/${o.metadata.name}`,
            database,
            user,
            password: {
              namespace: o.metadata.namespace ?? u.namespace,
              secret: ref.name,
              key: ref.key,
            },
          });
        }
      }
    }
  return out;
}

/**
 * The roles every PostgreSQL bootstrap Job creates: its BOOTSTRAP_ROLES, each with the
 * password file the script reads (`<roles dir>/<role>`), followed to the Secret mounted there.
 */
export function databaseProvisions(units: readonly SyncUnit[]): DatabaseProvision[] {
  const out: DatabaseProvision[] = [];
  for (const u of units)
    for (const o of u.objects) {
      if (o.kind !== 'Job') continue;
      const pod = podSpecOf(o);
      for (const c of pod?.containers ?? []) {
        const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
        const roles = env.get(BOOTSTRAP_ENV.roles);
        if (roles === undefined) continue;
        const dir = env.get(BOOTSTRAP_ENV.rolesDir);
        const mount = c.volumeMounts?.find((m) => m.mountPath === dir);
        const secret = pod?.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName;
        for (const role of roles.split(/\s+/).filter(Boolean))
          out.push({
            unit: u.name,
            resource: `${o.kind}/${o.metadata.name}`,
            role,
            password: {
              namespace: o.metadata.namespace ?? u.namespace,
              secret: secret ?? '(no Secret mounted at its roles directory)',
              key: role,
            },
          });
      }
    }
  return out;
}

/** Where external-secrets takes one key of a Secret from: `<remote key>#<property>`. */
export function secretKeySource(units: readonly SyncUnit[], ref: SecretKeyRef): string | undefined {
  for (const u of units)
    for (const o of u.objects) {
      if (o.kind !== 'ExternalSecret') continue;
      const spec = o.spec as {
        target?: { name?: string; template?: unknown };
        data?: readonly { secretKey: string; remoteRef: { key: string; property?: string } }[];
        dataFrom?: readonly { extract?: { key: string } }[];
      };
      const ns = o.metadata.namespace ?? u.namespace;
      if (ns !== ref.namespace || (spec.target?.name ?? o.metadata.name) !== ref.secret) continue;
      // A templated Secret's keys are not the remote keys: not followed (none of these is).
      if (spec.target?.template) return undefined;
      const entry = spec.data?.find((d) => d.secretKey === ref.key);
      if (entry) return `${entry.remoteRef.key}#${entry.remoteRef.property ?? ''}`;
      const extract = spec.dataFrom?.find((d) => d.extract)?.extract;
      if (extract) return `${extract.key}#${ref.key}`;
    }
  return undefined;
}

const show = (r: SecretKeyRef) => `${r.namespace}/${r.secret}[${r.key}]`;

/**
 * The database chain: every pod that connects to the environment's PostgreSQL connects as a
 * role some bootstrap creates, to the database of that role, and its password comes from the
 * same Secrets Manager secret and key the bootstrap sets the role's password from. Otherwise
 * the add-on crash-loops on a fresh cluster (no role, or a password that does not match).
 */
export function checkDatabaseChain(
  environment: string,
  units: readonly SyncUnit[],
): RenderFinding[] {
  const provisions = databaseProvisions(units);
  const out: RenderFinding[] = [];
  for (const use of databaseUses(units)) {
    const finding = (message: string) =>
      out.push({
        check: 'database',
        environment,
        application: use.unit,
        resource: use.resource,
        message,
      });
    const p = provisions.find((x) => x.role === use.user);
    if (!p) {
      finding(
        `connects as role ${use.user}, which no PostgreSQL bootstrap Job creates (roles: ${provisions.map((x) => x.role).join(', ') || 'none'})`,
      );
      continue;
    }
    if (use.database !== p.role)
      finding(
        `connects to database ${use.database} as role ${use.user}, but ${p.unit} creates database ${p.role} for that role`,
      );
    const mine = secretKeySource(units, use.password);
    const theirs = secretKeySource(units, p.password);
    if (mine === undefined || theirs === undefined || mine !== theirs)
      finding(
        `reads its password from ${show(use.password)} (${mine ?? 'no ExternalSecret writes it'}), but ${p.unit} sets role ${p.role}'s password from ${show(p.password)} (${theirs ?? 'no ExternalSecret writes it'}); both must come from the same secret and key`,
      );
  }
  return out;
}
