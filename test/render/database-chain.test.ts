import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { syncUnits, type SyncUnit } from '../../src/render/bring-up-order';
import {
  checkDatabaseChain,
  databaseProvisions,
  databaseUses,
  secretKeySource,
} from '../../src/render/database-chain';
import type { RenderedObject } from '../../src/render/helm';
import { partitionOf } from '../../src/terraform/stack-props';
import { ROOT } from '../platform/synth-fixture';
import { renderSome } from './helpers';

/** The units with one object replaced: `edit` returns the new object for the matching one. */
function planted(
  units: readonly SyncUnit[],
  unit: string,
  kind: string,
  name: string,
  edit: (o: any) => RenderedObject,
): SyncUnit[] {
  return units.map((u) =>
    u.name !== unit
      ? u
      : {
          ...u,
          objects: u.objects.map((o) =>
            o.kind === kind && o.metadata.name === name ? edit(structuredClone(o)) : o,
          ),
        },
  );
}

describe('database chain: add-ons connect as the roles the bootstrap creates, with its passwords', () => {
  let units: SyncUnit[];
  beforeAll(async () => {
    units = syncUnits(ROOT, await renderSome('dev', ['keycloak', 'langfuse']));
  });

  it('follows each add-on password and each bootstrap password to the same secret and key', () => {
    expect(databaseUses(units).map((u) => [u.unit, u.database, u.user, u.password])).toEqual([
      [
        'keycloak',
        'keycloak',
        'keycloak',
        { namespace: 'keycloak', secret: 'keycloak-db', key: 'password' },
      ],
      [
        'langfuse',
        'langfuse',
        'langfuse',
        { namespace: 'langfuse', secret: 'langfuse', key: 'postgres-password' },
      ],
      [
        'langfuse',
        'langfuse',
        'langfuse',
        { namespace: 'langfuse', secret: 'langfuse', key: 'postgres-password' },
      ],
    ]);
    const provisions = databaseProvisions(units);
    expect(provisions.map((p) => [p.unit, p.role, p.password])).toEqual([
      [
        'platform-postgres',
        'keycloak',
        { namespace: 'platform-db', secret: 'postgres-bootstrap-roles', key: 'keycloak' },
      ],
      [
        'platform-postgres',
        'langfuse',
        { namespace: 'platform-db', secret: 'postgres-bootstrap-roles', key: 'langfuse' },
      ],
    ]);
    expect(secretKeySource(units, provisions[0]!.password)).toBe(
      'platform/dev/keycloak-db#password',
    );
    expect(secretKeySource(units, databaseUses(units)[0]!.password)).toBe(
      'platform/dev/keycloak-db#password',
    );
    expect(secretKeySource(units, provisions[1]!.password)).toBe(
      'platform/dev/langfuse#postgres-password',
    );
    expect(checkDatabaseChain('dev', units)).toEqual([]);
  });

  it('catches a bootstrap that sets the password from another key than the add-on reads', () => {
    const bad = planted(
      units,
      'platform-postgres',
      'ExternalSecret',
      'postgres-bootstrap-roles',
      (o) => {
        o.spec.data.find((d: any) => d.secretKey === 'langfuse').remoteRef.property = 'password';
        return o;
      },
    );
    const findings = checkDatabaseChain('dev', bad);
    expect(findings.map((f) => [f.application, f.resource])).toEqual([
      ['langfuse', 'Deployment/langfuse-web'],
      ['langfuse', 'Deployment/langfuse-worker'],
    ]);
    expect(findings[0]!.message).toBe(
      "reads its password from langfuse/langfuse[postgres-password] (platform/dev/langfuse#postgres-password), but platform-postgres sets role langfuse's password from platform-db/postgres-bootstrap-roles[langfuse] (platform/dev/langfuse#password); both must come from the same secret and key",
    );
  });

  it('catches an add-on connecting as a role no bootstrap creates', () => {
    const bad = planted(units, 'platform-postgres', 'Job', 'postgres-bootstrap', (o) => {
      o.spec.template.spec.containers[0].env.find((e: any) => e.name === 'BOOTSTRAP_ROLES').value =
        'langfuse';
      return o;
    });
    expect(checkDatabaseChain('dev', bad)).toEqual([
      expect.objectContaining({
        check: 'database',
        application: 'keycloak',
        resource: 'StatefulSet/keycloak-keycloakx',
        message:
          'connects as role keycloak, which no PostgreSQL bootstrap Job creates (roles: langfuse)',
      }),
    ]);
  });

  it('catches an add-on connecting to another database than its role owns', () => {
    const bad = planted(units, 'keycloak', 'StatefulSet', 'keycloak-keycloakx', (o) => {
      o.spec.template.spec.containers[0].env.find(
        (e: any) => e.name === 'KC_DB_URL_DATABASE',
      ).value = 'langfuse';
      return o;
    });
    expect(checkDatabaseChain('dev', bad).map((f) => f.message)).toEqual([
      'connects to database langfuse as role keycloak, but platform-postgres creates database keycloak for that role',
    ]);
  });
});

describe('database chain across the layers: the master secret the bootstrap finds is the instance Terraform creates', () => {
  it.each(['dev', 'staging', 'prod'])('%s', (env) => {
    const tf = JSON.parse(
      readFileSync(path.join(ROOT, 'dist', env, 'terraform/cdk.tf.json'), 'utf8'),
    );
    const db = tf.resource.aws_db_instance.postgres;
    const provider = tf.provider.aws[0];
    const master = readFileSync(
      path.join(
        ROOT,
        'dist',
        env,
        'platform/postgres/externalsecret-postgres-bootstrap-master.yaml',
      ),
      'utf8',
    );
    // RDS tags its managed secret with the instance ARN: partition, region, account, identifier.
    const partition = partitionOf(provider.region);
    expect(db.manage_master_user_password).toBe(true);
    expect(master).toContain(
      `aws:rds:primaryDBInstanceArn: arn:${partition}:rds:${provider.region}:${provider.allowed_account_ids[0]}:db:${db.identifier}`,
    );
    // external-secrets may read exactly that secret, and the endpoint secret Terraform writes.
    const policy = JSON.parse(
      tf.resource.aws_iam_role_policy.pod_identity_external_secrets_policy.policy,
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'ReadPostgresMasterSecret',
        Resource: '${aws_db_instance.postgres.master_user_secret[0].secret_arn}',
      }),
    );
    const endpoint = tf.resource.aws_secretsmanager_secret.postgres_endpoint_secret;
    expect(endpoint.name).toBe(`platform/${env}/postgres-endpoint`);
    expect(
      tf.resource.aws_secretsmanager_secret_version.postgres_endpoint_secret_value.secret_string,
    ).toBe('${jsonencode({"host" = aws_db_instance.postgres.address, "port" = "5432"})}');
    const endpointEs = readFileSync(
      path.join(
        ROOT,
        'dist',
        env,
        'platform/postgres/externalsecret-postgres-bootstrap-endpoint.yaml',
      ),
      'utf8',
    );
    expect(endpointEs).toContain(`key: platform/${env}/postgres-endpoint`);
  });
});
