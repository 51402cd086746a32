import { describe, expect, it } from 'vitest';
import {
  certificateDatabaseUrl,
  configEnv,
  loadConfig,
  registryEnvSchema,
} from '@agentic-platform/agent-registry/config';
import { PROBE_PORT, REGISTRY_PORT } from '@agentic-platform/agent-registry/constants';
import { MIGRATION_TIMEOUT_MS } from '@agentic-platform/agent-registry/store/migrations';

describe('registry configuration', () => {
  it('defaults to PGlite in memory and the committed dev catalog', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'pglite' });
    expect(c.port).toBe(REGISTRY_PORT);
    expect(c.probePort).toBe(PROBE_PORT);
    expect(c.catalog).toEqual({ source: 'files', dir: 'dist/dev/registry' });
  });

  it('watches the catalog in the registry namespace when told to use the Kubernetes API', () => {
    expect(loadConfig({ REGISTRY_CATALOG_SOURCE: 'kubernetes' }).catalog).toEqual({
      source: 'kubernetes',
      namespace: 'agent-registry',
    });
    expect(() => loadConfig({ REGISTRY_CATALOG_SOURCE: 'etcd' })).toThrow(
      /REGISTRY_CATALOG_SOURCE="etcd"/,
    );
  });

  it('ignores variables that are not the registry’s and treats empty as unset', () => {
    expect(loadConfig({ PATH: '/bin', REGISTRY_PORT: '' }).port).toBe(REGISTRY_PORT);
  });

  it('selects PostgreSQL with a URL', () => {
    const c = loadConfig({
      REGISTRY_DATABASE: 'postgres',
      REGISTRY_DATABASE_URL: 'postgres://u:p@h/db',
      REGISTRY_AUDIT_SIGNING_KEY_FILE: '/keys/tls.key',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@h/db', poolMax: 10 });
    expect(c.audit).toEqual({ signingKeyFile: '/keys/tls.key', checkpointMs: 60_000 });
    expect(c.migrations).toBe('apply');
  });

  it('bounds migrations apart from requests, five minutes a statement unless told otherwise', () => {
    const c = loadConfig({});
    expect(c.statementTimeoutMs).toBe(5_000);
    expect(c.migrationTimeoutMs).toBe(MIGRATION_TIMEOUT_MS);
    expect(MIGRATION_TIMEOUT_MS).toBe(300_000);
    expect(loadConfig({ REGISTRY_DATABASE_MIGRATION_TIMEOUT_MS: '60000' }).migrationTimeoutMs).toBe(
      60_000,
    );
    expect(() => loadConfig({ REGISTRY_DATABASE_MIGRATION_TIMEOUT_MS: '0' })).toThrow(
      /REGISTRY_DATABASE_MIGRATION_TIMEOUT_MS="0"/,
    );
  });

  it('fails when the service runs on PostgreSQL without a key to sign audit checkpoints', () => {
    expect(() =>
      loadConfig({ REGISTRY_DATABASE: 'postgres', REGISTRY_DATABASE_URL: 'postgres://u:p@h/db' }),
    ).toThrow(/REGISTRY_DATABASE=postgres needs REGISTRY_AUDIT_SIGNING_KEY_FILE/);
    // migrate.js signs nothing.
    const m = loadConfig(
      {
        REGISTRY_DATABASE: 'postgres',
        REGISTRY_DATABASE_URL: 'postgres://u:p@h/db',
        REGISTRY_DATABASE_SERVICE_ROLE: 'registry_service',
      },
      'migrate',
    );
    expect(m.serviceRole).toBe('registry_service');
  });

  it('fails when migrate.js is pointed at PGlite', () => {
    expect(() => loadConfig({}, 'migrate')).toThrow(/migrate.js runs on PostgreSQL only/);
  });

  it('fails when migrations are required of PGlite, which has one role', () => {
    expect(() => loadConfig({ REGISTRY_DATABASE_MIGRATIONS: 'require' })).toThrow(
      /REGISTRY_DATABASE_MIGRATIONS=require needs REGISTRY_DATABASE=postgres/,
    );
  });

  it('refuses a service role that is not a plain PostgreSQL identifier', () => {
    expect(() => loadConfig({ REGISTRY_DATABASE_SERVICE_ROLE: 'x"; DROP' })).toThrow(
      /REGISTRY_DATABASE_SERVICE_ROLE/,
    );
  });

  it('refuses a probe port that is the public port (the probes need a listener of their own)', () => {
    expect(() => loadConfig({ REGISTRY_PORT: '9000', REGISTRY_PROBE_PORT: '9000' })).toThrow(
      /REGISTRY_PROBE_PORT=9000 is REGISTRY_PORT too; the probes need a port of their own \(default 8081\)/,
    );
    expect(loadConfig({ REGISTRY_PROBE_PORT: '9001' }).probePort).toBe(9001);
  });

  it('fails listing every bad variable with its value', () => {
    expect(() => loadConfig({ REGISTRY_PORT: 'eighty', REGISTRY_DATABASE: 'mysql' })).toThrow(
      /REGISTRY_PORT="eighty"[\s\S]*REGISTRY_DATABASE="mysql"/,
    );
  });

  it('fails on an unknown REGISTRY_ variable (a typo would otherwise be ignored)', () => {
    expect(() => loadConfig({ REGISTRY_PROT: '1' })).toThrow(
      /REGISTRY_PROT is not a registry setting/,
    );
  });

  it('fails when postgres is chosen without a URL', () => {
    expect(() => loadConfig({ REGISTRY_DATABASE: 'postgres' })).toThrow(
      /needs REGISTRY_DATABASE_URL/,
    );
  });

  it('never echoes the database URL, even when it is invalid', () => {
    expect(() => loadConfig({ REGISTRY_DATABASE_URL: '' + 'x'.repeat(0) + ' ' })).not.toThrow();
    try {
      loadConfig({ REGISTRY_DATABASE_URL: 's3cret', REGISTRY_PORT: 'x' });
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
  });

  it('fails when the default key lifetime exceeds the maximum', () => {
    expect(() =>
      loadConfig({ REGISTRY_KEY_DEFAULT_TTL_DAYS: '400', REGISTRY_KEY_MAX_TTL_DAYS: '365' }),
    ).toThrow(/REGISTRY_KEY_DEFAULT_TTL_DAYS=400 exceeds REGISTRY_KEY_MAX_TTL_DAYS=365/);
  });

  describe('configEnv (the Deployment’s env)', () => {
    it('validates values with the program’s own schema and sorts by name', () => {
      expect(configEnv({ REGISTRY_PORT: 8080, REGISTRY_DATABASE: 'postgres' })).toEqual([
        { name: 'REGISTRY_DATABASE', value: 'postgres' },
        { name: 'REGISTRY_PORT', value: '8080' },
      ]);
    });
    it('refuses a name the program does not read', () => {
      expect(() => configEnv({ NOPE: '1' } as never)).toThrow(/NOPE is not a registry setting/);
    });
    it('refuses a secret as a literal', () => {
      expect(() => configEnv({ REGISTRY_DATABASE_URL: 'postgres://u:pw@x/db' })).toThrow(
        /secretKeyRef/,
      );
      expect(() => configEnv({ REGISTRY_DATABASE_URL: 'not a url' })).toThrow(/secretKeyRef/);
    });
    it('takes a database URL that authenticates by certificate as a literal', () => {
      const url = certificateDatabaseUrl({
        host: 'db-rw.ns.svc',
        port: 5432,
        database: 'registry',
        role: 'registry_service',
        certFile: '/c/tls.crt',
        keyFile: '/c/tls.key',
        caFile: '/ca/ca.crt',
      });
      expect(url).toBe(
        'postgres://registry_service@db-rw.ns.svc:5432/registry?sslmode=verify-full&sslcert=%2Fc%2Ftls.crt&sslkey=%2Fc%2Ftls.key&sslrootcert=%2Fca%2Fca.crt',
      );
      expect(configEnv({ REGISTRY_DATABASE_URL: url })).toEqual([
        { name: 'REGISTRY_DATABASE_URL', value: url },
      ]);
    });
    it('refuses a value the program would refuse', () => {
      expect(() => configEnv({ REGISTRY_PORT: 0 })).toThrow(/REGISTRY_PORT=0 is refused/);
    });
    it('covers every key of the schema with a REGISTRY_ prefix', () => {
      for (const name of Object.keys(registryEnvSchema.shape))
        expect(name).toMatch(/^REGISTRY_[A-Z_]+$/);
    });
  });
});
