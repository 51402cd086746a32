import { describe, expect, it } from 'vitest';
import { configEnv, loadConfig, registryEnvSchema } from '@agentic-platform/agent-registry/config';
import { REGISTRY_PORT } from '@agentic-platform/agent-registry/constants';

describe('registry configuration', () => {
  it('defaults to PGlite in memory and the committed dev catalog', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'pglite' });
    expect(c.port).toBe(REGISTRY_PORT);
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
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@h/db', poolMax: 10 });
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
      expect(() => configEnv({ REGISTRY_DATABASE_URL: 'postgres://x' })).toThrow(/secretKeyRef/);
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
