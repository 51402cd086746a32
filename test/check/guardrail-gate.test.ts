import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runGuardrails } from '../../src/check/guardrail-gate';
import { renderMarkdown, renderSarif, renderText } from '../../src/check/report-formats';
import type { CheckReport } from '../../src/check/run-check';
import { DEFAULT_IMAGE_REGISTRIES } from '../../src/model/conventions';
import { synthesize } from '../../src/synth/synthesize';
import { ROOT, repoModel, withSpec } from '../helpers';

const TODAY = '2026-11-23';
const model = repoModel();
const files = synthesize(model);

function planted(edit: (f: Map<string, string>) => void) {
  const copy = new Map(files);
  edit(copy);
  return runGuardrails(model, copy, TODAY);
}
const errors = (r: ReturnType<typeof runGuardrails>) =>
  r.findings.filter((f) => f.severity === 'error');

describe('guardrail gate over dist/', () => {
  it('finds nothing wrong in a fresh synth', () => {
    const r = runGuardrails(model, files, TODAY);
    expect(r.findings).toEqual([]);
    expect(r.evaluations).toBeGreaterThan(100);
  });

  it('fails on a :latest image, naming the file, the resource and the policy', () => {
    const file = 'dev/tenants/acme/mcpserver-github-tools.yaml';
    const r = planted((f) =>
      f.set(file, f.get(file)!.replace('mcp-github:1.4.2', 'mcp-github:latest')),
    );
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file,
        resource: 'MCPServer/github-tools',
        policy: 'mcp-servers-restricted',
      }),
    ]);
  });

  it('fails on a :latest image planted in a tenant spec, naming the file, the resource and the policy', () => {
    const m = repoModel(
      withSpec('tenants/acme.yaml', (d) => {
        (d.mcpServers as Record<string, unknown>[])[0]!.image =
          'ghcr.io/acme-corp/mcp-github:latest';
        return d;
      }),
    );
    const r = runGuardrails(m, synthesize(m), TODAY);
    // acme is deployed to every environment: one finding in each, on the generated MCPServer.
    expect(errors(r)).toEqual(
      ['dev', 'prod', 'staging'].map((env) =>
        expect.objectContaining({
          file: `${env}/tenants/acme/mcpserver-github-tools.yaml`,
          resource: 'MCPServer/github-tools',
          policy: 'mcp-servers-restricted',
        }),
      ),
    );
  });

  it('fails on an image from a registry the environment does not allow, naming the file, the object and the image', () => {
    const file = 'dev/registry/deployment-agent-registry.yaml';
    const r = planted((f) =>
      f.set(file, f.get(file)!.replaceAll('ghcr.io/example-org/', 'ghcr.io.evil.com/example-org/')),
    );
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file,
        resource: 'Deployment/agent-registry',
        policy: 'images-allowed-registries',
        message: expect.stringMatching(
          /^image repository ghcr\.io\.evil\.com\/example-org\/agent-registry is from a registry this environment does not allow/,
        ),
      }),
    ]);
  });

  it('fails on a tenant MCP server image from an unlisted registry, in every environment of the tenant', () => {
    const m = repoModel(
      withSpec('tenants/acme.yaml', (d) => {
        (d.mcpServers as Record<string, unknown>[])[0]!.image =
          'docker.io/acme-corp/mcp-github:1.4.2';
        return d;
      }),
    );
    const r = runGuardrails(m, synthesize(m), TODAY);
    expect(errors(r)).toEqual(
      ['dev', 'prod', 'staging'].map((env) =>
        expect.objectContaining({
          file: `${env}/tenants/acme/mcpserver-github-tools.yaml`,
          resource: 'MCPServer/github-tools',
          policy: 'images-allowed-registries',
        }),
      ),
    );
  });

  it("holds an environment to its own narrowed list: the platform's Docker Hub images fail there only", () => {
    const m = repoModel(
      withSpec('environments/prod.yaml', (d) => ({
        ...d,
        guardrails: {
          ...(d.guardrails as object),
          imageRegistries: {
            allowed: DEFAULT_IMAGE_REGISTRIES.filter((x) => x !== 'docker.io/library'),
          },
        },
      })),
    );
    const found = errors(runGuardrails(m, synthesize(m), TODAY)).filter(
      (f) => f.policy === 'images-allowed-registries',
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.file.startsWith('prod/'))).toBe(true);
    expect(found.map((f) => f.message)).toContainEqual(
      expect.stringContaining('docker.io/library/postgres'),
    );
  });

  it('fails on a missing default-deny NetworkPolicy, naming the tenant folder', () => {
    const r = planted((f) => f.delete('prod/tenants/globex/networkpolicy-default-deny.yaml'));
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file: 'prod/tenants/globex/',
        policy: 'tenant-namespace-controls',
      }),
    ]);
  });

  it('fails on an inline key', () => {
    const file = 'staging/tenants/globex/agentgatewaybackend-llm-claude-sonnet.yaml';
    const r = planted((f) => {
      const doc = parse(f.get(file)!);
      doc.spec.policies.auth = { key: 'not-a-real-key' };
      f.set(file, stringify(doc));
    });
    expect(errors(r)).toEqual([
      expect.objectContaining({
        file,
        resource: 'AgentgatewayBackend/llm-claude-sonnet',
        policy: 'llm-credentials-by-reference',
      }),
    ]);
  });

  it('fails on a committed Secret with data, although the cluster never sees that policy', () => {
    const r = planted((f) =>
      f.set(
        'dev/tenants/acme/secret-leak.yaml',
        stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'leak', namespace: 'acme' },
          stringData: { k: 'v' },
        }),
      ),
    );
    expect(errors(r).map((e) => e.policy)).toEqual(['no-inline-secrets']);
  });

  it('fails on a route outside the tenant prefix', () => {
    const file = 'dev/tenants/acme/httproute-a2a-triage.yaml';
    const r = planted((f) =>
      f.set(file, f.get(file)!.replace('/a2a/acme/triage', '/a2a/globex/triage')),
    );
    expect(errors(r)).toEqual([expect.objectContaining({ file, policy: 'tenant-route-prefix' })]);
  });
});

describe('guardrail exceptions', () => {
  const file = 'dev/tenants/acme/mcpserver-github-tools.yaml';
  // The vendor image only ships as latest: declared in the spec, excepted by policy.
  const withException = (expires: string, resources?: string[], image = 'mcp-github:latest') =>
    repoModel(
      withSpec('tenants/acme.yaml', (d) => ({
        ...d,
        mcpServers: (d.mcpServers as Record<string, unknown>[]).map((s, i) =>
          i === 0 ? { ...s, image: `ghcr.io/acme-corp/${image}` } : s,
        ),
        policyExceptions: [
          {
            policy: 'mcp-servers-restricted',
            justification: 'vendor image only ships as latest until Q1',
            expires,
            ...(resources ? { resources } : {}),
          },
        ],
      })),
    );
  const latest = (m: ReturnType<typeof repoModel>) => synthesize(m);

  it('turns a covered error into a reported warning and counts the exception', () => {
    const m = withException('2027-03-31', ['MCPServer/github-tools']);
    const r = runGuardrails(m, latest(m), TODAY);
    expect(errors(r)).toEqual([]);
    expect(r.findings.filter((f) => f.file === file)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        policy: 'mcp-servers-restricted',
        message: expect.stringMatching(/excepted until 2027-03-31/),
      }),
    ]);
    expect(r.exceptions.find((e) => e.environment === 'dev')).toMatchObject({
      covered: 1,
      expired: false,
      tenant: 'acme',
    });
  });

  it('fails once the exception has expired, in every environment it was declared for', () => {
    const m = withException('2026-11-22');
    const r = runGuardrails(m, latest(m), TODAY);
    expect(errors(r)).toEqual(
      ['dev', 'prod', 'staging'].map((env) =>
        expect.objectContaining({
          file: `${env}/tenants/acme/mcpserver-github-tools.yaml`,
          message: expect.stringMatching(/exception in tenants\/acme.yaml expired on 2026-11-22/),
        }),
      ),
    );
  });

  it('fails on an expired exception even where it covers nothing, naming the spec', () => {
    const m = withException('2026-11-22', undefined, 'mcp-github:1.4.2');
    expect(errors(runGuardrails(m, synthesize(m), TODAY))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'tenants/acme.yaml',
          message: expect.stringMatching(/exception expired on 2026-11-22 \(environment prod\)/),
        }),
      ]),
    );
  });

  it('holds through its last day', () => {
    const m = withException(TODAY);
    expect(errors(runGuardrails(m, latest(m), TODAY))).toEqual([]);
  });

  it('does not cover other resources or other tenants', () => {
    const m = withException('2027-03-31', ['MCPServer/other']);
    // Not covered: the :latest MCPServer fails in each of acme's three environments.
    expect(errors(runGuardrails(m, latest(m), TODAY)).length).toBe(3);
  });

  it('warns about an exception that covers nothing', () => {
    const m = withException('2027-03-31', undefined, 'mcp-github:1.4.2');
    const r = runGuardrails(m, synthesize(m), TODAY);
    expect(r.findings.filter((f) => f.severity === 'warning').map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/exception covers nothing in environment dev/),
      ]),
    );
  });

  it('is emitted as a Kyverno PolicyException limited to the tenant namespace', () => {
    const m = withException('2027-03-31', ['MCPServer/github-tools']);
    const pe = parse(
      synthesize(m).get('dev/policies/policyexception-acme-mcp-servers-restricted.yaml')!,
    );
    expect(pe.metadata.namespace).toBe('kyverno');
    expect(pe.spec.policyRefs).toEqual([
      { kind: 'ValidatingPolicy', name: 'mcp-servers-restricted' },
    ]);
    expect(pe.spec.expiresAt).toBe('2027-03-31T23:59:59Z');
    expect(pe.spec.matchConditions.map((c: { expression: string }) => c.expression)).toEqual([
      "object.metadata.namespace == 'acme'",
      "(object.kind == 'MCPServer' && object.metadata.name == 'github-tools')",
    ]);
  });
});

describe('report formats', () => {
  const r = planted((f) => f.delete('prod/tenants/globex/networkpolicy-default-deny.yaml'));
  const report: CheckReport = {
    findings: r.findings,
    exceptions: r.exceptions,
    guardrailEvaluations: r.evaluations,
    manifests: 1,
    files: 1,
    millis: 1,
  };

  it('renders SARIF that validates against the SARIF 2.1.0 schema', () => {
    const schema = JSON.parse(
      readFileSync(path.join(ROOT, 'schemas', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // The schema is draft-04; ajv 8 reads it once its draft-04 markers are renamed.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const sarif = JSON.parse(
      renderSarif(
        report,
        [{ id: 'tenant-namespace-controls', title: 't', description: 'd' }],
        '0.1.0',
      ),
    );
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results[0]).toMatchObject({
      ruleId: 'tenant-namespace-controls',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'dist/prod/tenants/globex/' } } }],
    });
  });

  it('renders Markdown with a verdict and a row per finding', () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(/^### ❌ npm run check: 1 error, 0 warnings/);
    expect(md).toContain('| error | guardrail | tenant-namespace-controls |');
  });

  it('names the spec a file came from, in text and Markdown', () => {
    const sourced: CheckReport = {
      ...report,
      findings: report.findings.map((f) => ({ ...f, source: 'tenants/globex.yaml' })),
    };
    expect(renderText(sourced)).toMatch(
      /^dist\/prod\/tenants\/globex\/ \(from tenants\/globex.yaml\)\n/,
    );
    expect(renderMarkdown(sourced)).toContain(
      '#### `dist/prod/tenants/globex/` (from tenants/globex.yaml)',
    );
  });

  it('renders text grouped by file with the fix', () => {
    expect(renderText(report)).toMatch(
      /^dist\/prod\/tenants\/globex\/\n {2}\[guardrail tenant-namespace-controls\] .*\n {6}fix: /,
    );
  });
});
