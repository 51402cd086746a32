import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 as Ajv } from 'ajv/dist/2020';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { specJsonSchemas } from '../../src/spec/json-schema';
import { ROOT, repoSpecFiles } from '../helpers';

const schemas = specJsonSchemas();

describe('exported spec JSON Schemas', () => {
  it.each([...schemas.keys()])(
    'committed schemas/spec/%s equals a fresh export (run npm run schemas)',
    (name) => {
      expect(readFileSync(path.join(ROOT, 'schemas', 'spec', name), 'utf8')).toBe(
        schemas.get(name),
      );
    },
  );

  it('every example spec references its schema and validates against it', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const file of repoSpecFiles()) {
      const name = file.path.startsWith('tenants/')
        ? 'tenant.schema.json'
        : file.path.startsWith('policies/')
          ? 'guardrail.schema.json'
          : 'environment.schema.json';
      expect(file.content.split('\n')[0]).toBe(
        `# yaml-language-server: $schema=../schemas/spec/${name}`,
      );
      const validate =
        ajv.getSchema(name) ??
        (ajv.addSchema(JSON.parse(schemas.get(name)!), name), ajv.getSchema(name)!);
      expect(
        validate(parse(file.content)),
        `${file.path}: ${JSON.stringify(validate.errors)}`,
      ).toBe(true);
    }
  });

  it('refuses unknown fields, as the loader does', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(JSON.parse(schemas.get('tenant.schema.json')!));
    expect(
      validate({ name: 'a', displayName: 'A', owners: ['/g'], environments: ['dev'], typo: 1 }),
    ).toBe(false);
  });

  it.each([...schemas.keys()])(
    '%s bounds every string, list and mapping, except free-form documents',
    (name) => {
      // Helm values and guardrail fixture manifests are documents of another schema; the
      // file and data size limits bound them.
      const freeForm = /\/addons\/properties\/values\/additionalProperties$|\/fixtures\//;
      const unbounded: string[] = [];
      const walk = (node: unknown, at: string) => {
        if (!node || typeof node !== 'object') return;
        const n = node as Record<string, unknown>;
        const bounded =
          n.type === 'string'
            ? n.maxLength !== undefined || n.enum !== undefined || n.const !== undefined
            : n.type === 'array'
              ? n.maxItems !== undefined
              : n.type === 'object' && typeof n.additionalProperties === 'object'
                ? n.maxProperties !== undefined
                : true;
        if (!bounded && !freeForm.test(at)) unbounded.push(at);
        for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
      };
      walk(JSON.parse(schemas.get(name)!), '');
      expect(unbounded).toEqual([]);
    },
  );

  it('shows list bounds in the schema, e.g. tenant agents', () => {
    const tenant = JSON.parse(schemas.get('tenant.schema.json')!);
    expect(tenant.properties.agents.maxItems).toBe(100);
    expect(tenant.properties.owners.maxItems).toBe(20);
    expect(tenant.properties.overrides.maxProperties).toBe(20);
  });
});
