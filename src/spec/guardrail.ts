import { z } from 'zod';
import { boundedList } from './primitives';

const slug = z
  .string()
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lowercase letters, digits and "-"' });
const expression = z.string().trim().min(1).max(16_384);
const manifest = z.record(z.string().max(253), z.unknown());
/** Every list of a guardrail: far above what a policy needs, so a typo'd generator is caught. */
const list = <T extends z.ZodType>(item: T, what: string) => boundedList(item, 50, what);
const bundleFixture = z.strictObject({
  namespace: z.string().max(63),
  objects: list(manifest, 'objects'),
});

const matchRule = z.strictObject({
  /** `group/version` or `v1` for the core group. */
  apiVersion: z
    .string()
    .max(317)
    .regex(/^([a-z0-9.-]+\/)?v[0-9]+[a-z0-9]*$/),
  kind: z
    .string()
    .max(63)
    .regex(/^[A-Z][A-Za-z0-9]*$/),
  /**
   * Plural resource name, as the admission webhook sees it (`deployments`), or a subresource
   * (`pods/ephemeralcontainers`): admission sees the object of `kind` under it. CI matches by
   * kind, so a subresource row only widens what the cluster checks.
   */
  resource: z
    .string()
    .max(127)
    .regex(/^[a-z][a-z0-9]*(\/[a-z][a-z0-9]*)?$/),
});

const base = {
  id: slug,
  title: z.string().min(1).max(120),
  severity: z.enum(['error', 'warning']),
  category: z.enum(['workload-security', 'tenant-isolation', 'secrets', 'gitops']),
  description: z.string().min(1).max(2000),
  /** Named CEL expressions, available to validations as `variables.<name>`. */
  variables: list(
    z.strictObject({
      name: z
        .string()
        .max(63)
        .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
      expression,
    }),
    'variables',
  ).default([]),
  validations: list(
    z.strictObject({
      expression,
      message: z.string().min(1).max(500),
      /**
       * CEL string naming what failed (the offending image, say); replaces `message` when it
       * evaluates, as in Kyverno, and `message` stands if it does not.
       */
      messageExpression: expression.optional(),
    }),
    'validations',
  ).min(1),
  remediation: z.string().min(1).max(1000),
};

/**
 * `policies/<id>.yaml`: one guardrail. `object` guardrails are CEL over one manifest (with
 * `object`, `namespaceObject`, `variables`): CI evaluates them over dist/ and the same
 * definition is emitted as a Kyverno ValidatingPolicy. `bundle` guardrails are CEL over a
 * whole tenant folder (`objects`, `tenantNamespace`): they are about what a bundle lacks, which no
 * admission request can see, so CI is their enforcement point.
 */
export const guardrailSpec = z.discriminatedUnion('scope', [
  z.strictObject({
    ...base,
    scope: z.literal('object'),
    match: list(matchRule, 'match rules').min(1),
    /** `tenant`: only objects in tenant namespaces (namespace labelled with the tenant). */
    namespaces: z.enum(['tenant', 'all']),
    /**
     * Why this guardrail is enforced in CI only and not emitted to the cluster (for example:
     * in the cluster, controllers legitimately create what git must never hold).
     */
    ciOnly: z.string().min(10).max(1000).optional(),
    fixtures: z.strictObject({
      pass: list(
        z.strictObject({ object: manifest, namespaceObject: manifest.optional() }),
        'fixtures',
      ).min(1),
      fail: list(
        z.strictObject({ object: manifest, namespaceObject: manifest.optional() }),
        'fixtures',
      ).min(1),
    }),
  }),
  z.strictObject({
    ...base,
    scope: z.literal('bundle'),
    fixtures: z.strictObject({
      pass: list(bundleFixture, 'fixtures').min(1),
      fail: list(bundleFixture, 'fixtures').min(1),
    }),
  }),
]);

export type GuardrailSpec = z.infer<typeof guardrailSpec>;
export type ObjectGuardrail = Extract<GuardrailSpec, { scope: 'object' }>;
export type BundleGuardrail = Extract<GuardrailSpec, { scope: 'bundle' }>;
