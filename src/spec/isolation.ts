import { z } from 'zod';
import { KUBERNETES_SERVICE_CIDR } from '../model/conventions';
import type { SpecIssue } from './errors';
import { formatPath } from './errors';
import type { EnvironmentSpec } from './environment';
import { dnsLabel, groupName, ipv4Cidr, ipv4ToInt, isoDate } from './primitives';
import type { Located } from './source';
import type { TenantSpec } from './tenant';

/**
 * A platform-granted, time-boxed widening of one tenant's isolation in one environment. It
 * lives in the environment spec (platform-owned, reviewed by the platform team), never in the
 * tenant's own file: a tenant cannot grant itself a path into the cluster's networks or into
 * another tenant's group. `npm run check` fails once `expires` has passed.
 */
export const isolationException = z
  .strictObject({
    /** Unique in the environment; reviewers and the check refer to the exception by it. */
    name: dnsLabel,
    /** The tenant it applies to. */
    tenant: dnsLabel,
    /** An egress CIDR the tenant may list although it overlaps the cluster's ranges or is `0.0.0.0/0`. */
    egressCidr: ipv4Cidr.optional(),
    /** An owner group outside `/tenants/<tenant>/` the tenant may name. */
    ownerGroup: groupName.optional(),
    /** Why it is acceptable, for reviewers and auditors. */
    justification: z
      .string()
      .trim()
      .min(20, { error: 'must explain the exception in at least 20 characters' })
      .max(1000),
    /** Last day the exception holds (UTC). */
    expires: isoDate,
  })
  .refine((e) => (e.egressCidr === undefined) !== (e.ownerGroup === undefined), {
    error: 'set exactly one of egressCidr or ownerGroup',
  });
export type IsolationExceptionSpec = z.infer<typeof isolationException>;

/** Address ranges of the environment a tenant's egress must not reach, with their names. */
export function protectedRanges(env: EnvironmentSpec): readonly { cidr: string; what: string }[] {
  return [
    // The VPC CNI gives pods VPC addresses, so the VPC range is the pod range as well.
    { cidr: env.aws.vpcCidr, what: 'the VPC and pod range (aws.vpcCidr)' },
    { cidr: KUBERNETES_SERVICE_CIDR, what: 'the Kubernetes service range' },
  ];
}

function bounds(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = ipv4ToInt(ip ?? '');
  return [start, start + size - 1];
}

/** True when two IPv4 CIDRs share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [a0, a1] = bounds(a);
  const [b0, b1] = bounds(b);
  return a0 <= b1 && b0 <= a1;
}

/** Why a tenant may not list `cidr` as egress in `env`, or undefined when it may. */
export function egressRefusal(cidr: string, env: EnvironmentSpec): string | undefined {
  if (cidr.endsWith('/0')) return `"${cidr}" is the whole internet`;
  const hit = protectedRanges(env).find((r) => cidrsOverlap(cidr, r.cidr));
  return hit ? `"${cidr}" overlaps ${hit.what} ${hit.cidr}` : undefined;
}

/** True when `group` is the tenant's root group or below it. */
export function inTenantSubtree(group: string, tenant: string): boolean {
  const root = `/tenants/${tenant}`;
  return group === root || group.startsWith(`${root}/`);
}

type Report = (at: readonly PropertyKey[], message: string) => void;

function reporter<T>(located: Located<T>, issues: SpecIssue[]): Report {
  return (p, message) =>
    issues.push({ file: located.file, path: formatPath(p), line: located.lineOf(p), message });
}

/** The environment's own ranges must not collide with the service range the cluster uses. */
export function checkEnvironmentIsolation(
  env: Located<EnvironmentSpec>,
  issues: SpecIssue[],
): void {
  if (cidrsOverlap(env.spec.aws.vpcCidr, KUBERNETES_SERVICE_CIDR)) {
    reporter(env, issues)(
      ['aws', 'vpcCidr'],
      `"${env.spec.aws.vpcCidr}" overlaps the Kubernetes service range ${KUBERNETES_SERVICE_CIDR}; choose a VPC range outside it`,
    );
  }
}

/**
 * Tenant egress and owners against every environment the tenant runs in:
 * - an egress CIDR may not be `0.0.0.0/0` nor overlap the VPC/pod or service range;
 * - an owner group must be `/tenants/<tenant>` or below it;
 * unless that environment's `isolationExceptions` names the tenant and the value.
 * Every exception must be used, so a stale one cannot linger.
 */
export function checkTenantIsolation(
  environments: readonly Located<EnvironmentSpec>[],
  tenants: readonly Located<TenantSpec>[],
  issues: SpecIssue[],
): void {
  const byName = new Map(tenants.map((t) => [t.spec.name, t]));
  for (const env of environments) {
    const exceptions = env.spec.isolationExceptions;
    const used = new Set<number>();
    const excepted = (tenant: string, field: 'egressCidr' | 'ownerGroup', value: string) => {
      const i = exceptions.findIndex((e) => e.tenant === tenant && e[field] === value);
      if (i >= 0) used.add(i);
      return i >= 0;
    };
    for (const t of tenants) {
      const { spec } = t;
      if (!spec.environments.includes(env.spec.name)) continue;
      const report = reporter(t, issues);
      const override = spec.overrides[env.spec.name]?.egress;
      const [egress, at] = override
        ? [override, ['overrides', env.spec.name, 'egress']]
        : [spec.egress, ['egress']];
      egress.forEach((e, i) => {
        const why = egressRefusal(e.cidr, env.spec);
        if (why && !excepted(spec.name, 'egressCidr', e.cidr)) {
          report(
            [...at, i, 'cidr'],
            `${why} in environment ${env.spec.name}; tenant egress is for external services. List the service's own range, or have the platform add an isolationExceptions entry (tenant ${spec.name}, egressCidr ${e.cidr}) to ${env.file}`,
          );
        }
      });
      spec.owners.forEach((group, i) => {
        if (!inTenantSubtree(group, spec.name) && !excepted(spec.name, 'ownerGroup', group)) {
          report(
            ['owners', i],
            `"${group}" is outside this tenant's groups; owners must be /tenants/${spec.name} or a group below it (environment ${env.spec.name}), or be allowed by an isolationExceptions entry in ${env.file}`,
          );
        }
      });
    }
    const report = reporter(env, issues);
    const names = new Set<string>();
    exceptions.forEach((e, i) => {
      if (names.has(e.name))
        report(['isolationExceptions', i, 'name'], `"${e.name}" is used twice`);
      names.add(e.name);
      const tenant = byName.get(e.tenant);
      if (!tenant || !tenant.spec.environments.includes(env.spec.name)) {
        report(
          ['isolationExceptions', i, 'tenant'],
          `no tenant "${e.tenant}" runs in ${env.spec.name}; remove the exception`,
        );
      } else if (!used.has(i)) {
        report(
          ['isolationExceptions', i],
          `tenant ${e.tenant} does not need it (${e.egressCidr ?? e.ownerGroup} is not refused, or not listed); remove the exception`,
        );
      }
    });
  }
}
