import path from 'node:path';
import type { SpecIssue } from './errors';
import { formatPath } from './errors';
import type { EnvironmentSpec } from './environment';
import type { GuardrailSpec } from './guardrail';
import { checkEnvironmentIsolation, checkTenantIsolation } from './isolation';
import { ipv4ToInt, QUOTA_KEYS } from './primitives';
import { reservedReason } from './reserved';
import type { Located } from './source';
import { LIST_LIMITS, type TenantSpec } from './tenant';

type Issue = (path: readonly PropertyKey[], message: string) => void;

function reporter<T>(located: Located<T>, issues: SpecIssue[]): Issue {
  return (p, message) =>
    issues.push({ file: located.file, path: formatPath(p), line: located.lineOf(p), message });
}

/** Keys that occur more than once, with every index they occur at. Linear in the list. */
function duplicates<T>(items: readonly T[], key: (t: T) => string): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const at = seen.get(k);
    if (at) at.push(i);
    else seen.set(k, [i]);
  });
  for (const [k, idx] of seen) if (idx.length === 1) seen.delete(k);
  return seen;
}

/** Reports each repeated entry of a list once, at its second occurrence. */
function reportRepeats(
  report: Issue,
  at: readonly PropertyKey[],
  items: readonly string[],
  what: string,
): void {
  for (const [value, idx] of duplicates(items, (x) => x)) {
    report([...at, idx[1]!], `"${value}" is listed ${idx.length} times in ${what}; list it once`);
  }
}

export function checkEnvironment(env: Located<EnvironmentSpec>, issues: SpecIssue[]): void {
  const report = reporter(env, issues);
  const { spec } = env;
  const expected = path.posix.basename(env.file, '.yaml');
  if (spec.name !== expected) {
    report(
      ['name'],
      `is "${spec.name}" but the file is ${env.file}; name the file ${spec.name}.yaml or set name: ${expected}`,
    );
  }
  for (const key of QUOTA_KEYS) {
    if (spec.tenants.defaultQuota[key] > spec.tenants.maxQuota[key]) {
      report(
        ['tenants', 'defaultQuota', key],
        `${spec.tenants.defaultQuota[key]} exceeds tenants.maxQuota.${key} (${spec.tenants.maxQuota[key]})`,
      );
    }
  }
  if (
    spec.secrets.platformKeyPrefix.startsWith('tenants/') ||
    spec.secrets.platformKeyPrefix === 'tenants'
  )
    report(
      ['secrets', 'platformKeyPrefix'],
      `"${spec.secrets.platformKeyPrefix}" is inside tenants/, where each tenant's own keys live; put the platform keys elsewhere (platform/llm)`,
    );
  for (const [group, ng] of Object.entries(spec.nodeGroups)) {
    if (!(ng.minSize <= ng.desiredSize && ng.desiredSize <= ng.maxSize)) {
      report(
        ['nodeGroups', group],
        `needs minSize <= desiredSize <= maxSize, got ${ng.minSize} / ${ng.desiredSize} / ${ng.maxSize}`,
      );
    }
  }
  spec.aws.availabilityZones.forEach((az, i) => {
    if (!az.startsWith(spec.aws.region)) {
      report(['aws', 'availabilityZones', i], `"${az}" is not in region ${spec.aws.region}`);
    }
  });
  for (const [name, idx] of duplicates(spec.aws.availabilityZones, (z) => z)) {
    report(
      ['aws', 'availabilityZones', idx[1]!],
      `"${name}" is listed twice; use three different zones`,
    );
  }
  reportRepeats(report, ['aws', 'publicApiCidrs'], spec.aws.publicApiCidrs, 'publicApiCidrs');
  reportRepeats(report, ['aws', 'adminRoleArns'], spec.aws.adminRoleArns, 'adminRoleArns');
  reportRepeats(report, ['addons', 'disabled'], spec.addons.disabled, 'addons.disabled');
  for (const [group, ng] of Object.entries(spec.nodeGroups))
    reportRepeats(
      report,
      ['nodeGroups', group, 'instanceTypes'],
      ng.instanceTypes,
      'instanceTypes',
    );
  checkEnvironmentIsolation(env, issues);
}

export function checkTenant(
  tenant: Located<TenantSpec>,
  environments: ReadonlyMap<string, EnvironmentSpec>,
  issues: SpecIssue[],
): void {
  const report = reporter(tenant, issues);
  const { spec } = tenant;
  const expected = path.posix.basename(tenant.file, '.yaml');
  if (spec.name !== expected) {
    report(
      ['name'],
      `is "${spec.name}" but the file is ${tenant.file}; the file name must be the tenant name (${spec.name}.yaml)`,
    );
  }
  const reserved = reservedReason(spec.name);
  if (reserved) report(['name'], `${reserved}; choose another tenant name`);

  const known = [...environments.keys()].sort();
  spec.environments.forEach((env, i) => {
    if (!environments.has(env))
      report(
        ['environments', i],
        `unknown environment "${env}"; expected one of: ${known.join(', ')}`,
      );
  });
  for (const [env, idx] of duplicates(spec.environments, (e) => e)) {
    report(['environments', idx[1]!], `"${env}" is listed twice`);
  }
  reportRepeats(report, ['owners'], spec.owners, 'owners');
  reportRepeats(
    report,
    ['egress'],
    spec.egress.map((e) => e.cidr),
    'egress (by cidr)',
  );
  for (const [env, o] of Object.entries(spec.overrides)) {
    if (o.egress)
      reportRepeats(
        report,
        ['overrides', env, 'egress'],
        o.egress.map((e) => e.cidr),
        'egress (by cidr)',
      );
  }
  spec.mcpServers.forEach((server, i) =>
    reportRepeats(report, ['mcpServers', i, 'tools'], server.tools, 'tools'),
  );
  for (const env of Object.keys(spec.overrides)) {
    if (!spec.environments.includes(env)) {
      report(
        ['overrides', env],
        `overrides environment "${env}", which is not in environments (${spec.environments.join(', ')})`,
      );
    }
  }

  // Names share Kubernetes namespaces: kagent and kmcp both create a Service named after the
  // Agent / MCPServer, so agents and MCP servers must not collide with each other either.
  for (const [list, items] of [
    ['models', spec.models],
    ['mcpServers', spec.mcpServers],
    ['agents', spec.agents],
  ] as const) {
    for (const [name, idx] of duplicates<{ name: string }>(items, (x) => x.name)) {
      report([list, idx[1]!, 'name'], `"${name}" is used twice in ${list}`);
    }
  }
  const serverNames = new Set(spec.mcpServers.map((s) => s.name));
  spec.agents.forEach((agent, i) => {
    if (serverNames.has(agent.name)) {
      report(
        ['agents', i, 'name'],
        `"${agent.name}" is also an MCP server name; both get a Service of that name, rename one`,
      );
    }
  });

  const models = new Map(spec.models.map((m) => [m.name, m]));
  const servers = new Map(spec.mcpServers.map((s) => [s.name, s]));
  const toolSets = new Map(spec.mcpServers.map((s) => [s.name, new Set(s.tools)]));
  spec.agents.forEach((agent, i) => {
    if (!models.has(agent.model)) {
      report(
        ['agents', i, 'model'],
        `unknown model "${agent.model}"; expected one of this tenant's models: ${[...models.keys()].join(', ') || '(none defined)'}`,
      );
    }
    agent.tools.forEach((ref, j) => {
      const server = servers.get(ref.server);
      if (!server) {
        report(
          ['agents', i, 'tools', j, 'server'],
          `unknown MCP server "${ref.server}"; expected one of this tenant's mcpServers: ${[...servers.keys()].join(', ') || '(none defined)'}`,
        );
        return;
      }
      const offered = toolSets.get(server.name)!;
      ref.tools?.forEach((tool, k) => {
        if (!offered.has(tool)) {
          report(
            ['agents', i, 'tools', j, 'tools', k],
            `MCP server "${server.name}" has no tool "${tool}"; it offers: ${server.tools.join(', ')}`,
          );
        }
      });
    });
    for (const [id, idx] of duplicates(agent.skills, (s) => s.id))
      report(['agents', i, 'skills', idx[1]!, 'id'], `skill id "${id}" is used twice`);
    for (const [server, idx] of duplicates(agent.tools, (t) => t.server))
      report(
        ['agents', i, 'tools', idx[1]!, 'server'],
        `"${server}" is referenced twice; list its tools in one entry`,
      );
    agent.tools.forEach((ref, j) => {
      if (ref.tools) reportRepeats(report, ['agents', i, 'tools', j, 'tools'], ref.tools, 'tools');
    });
    if (agent.alias) {
      const why = reservedReason(agent.alias);
      if (why) report(['agents', i, 'alias'], `${why}; choose another alias`);
    }
  });

  let grants = 0;
  for (const agent of spec.agents)
    for (const ref of agent.tools)
      grants += ref.tools?.length ?? servers.get(ref.server)?.tools.length ?? 0;
  if (grants > LIST_LIMITS.toolGrants) {
    report(
      ['agents'],
      `grant ${grants} tools in all (an agent counts every tool it may call, all of a server's tools when its reference lists none); at most ${LIST_LIMITS.toolGrants} are allowed. List only the tools each agent needs`,
    );
  }

  spec.models.forEach((model, i) => {
    if (
      model.credential.source === 'external-secret' &&
      !model.credential.key.startsWith(`tenants/${spec.name}/`)
    ) {
      report(
        ['models', i, 'credential', 'key'],
        `"${model.credential.key}" is outside this tenant's secrets; bring-your-own keys must live under tenants/${spec.name}/`,
      );
    }
  });
}

/**
 * Rules that need more than one file: route segments (tenant names and aliases) must be
 * unique, because `/a2a/{segment}/{agent}` on the shared gateway has one owner.
 */
export function checkAcrossTenants(
  tenants: readonly Located<TenantSpec>[],
  issues: SpecIssue[],
): void {
  const owners = new Map<string, string>();
  for (const t of tenants) owners.set(t.spec.name, t.spec.name);
  const byName = duplicates(tenants, (t) => t.spec.name);
  for (const [name, idx] of byName) {
    for (const i of idx.slice(1)) {
      reporter(tenants[i]!, issues)(
        ['name'],
        `tenant "${name}" is already defined in ${tenants[idx[0]!]!.file}`,
      );
    }
  }
  const tenantNames = new Set(tenants.map((t) => t.spec.name));
  for (const t of tenants) {
    t.spec.agents.forEach((agent, i) => {
      if (!agent.alias || agent.alias === t.spec.name) return;
      const owner = owners.get(agent.alias);
      if (owner !== undefined && owner !== t.spec.name) {
        const what = tenantNames.has(agent.alias)
          ? 'is the name of tenant'
          : 'is already an alias of tenant';
        reporter(t, issues)(
          ['agents', i, 'alias'],
          `"${agent.alias}" ${what} "${owner}"; route aliases are unique across tenants`,
        );
      } else {
        owners.set(agent.alias, t.spec.name);
      }
    });
  }
}

/** A guardrail's id is its file name, so a finding's policy id leads to its file. */
export function checkGuardrails(
  guardrails: readonly Located<GuardrailSpec>[],
  issues: SpecIssue[],
): void {
  for (const g of guardrails) {
    const expected = path.posix.basename(g.file, '.yaml');
    if (g.spec.id !== expected) {
      reporter(g, issues)(
        ['id'],
        `is "${g.spec.id}" but the file is ${g.file}; the id must equal the file name`,
      );
    }
  }
}

/**
 * Every exception names a guardrail that exists and expires within the environment's
 * `guardrails.maxExceptionDays` of `today` (YYYY-MM-DD, UTC); a tenant's exceptions within
 * that of every environment the tenant is in. Isolation exceptions are checked with their rules.
 */
export function checkExceptions(
  environments: readonly Located<EnvironmentSpec>[],
  tenants: readonly Located<TenantSpec>[],
  guardrailIds: ReadonlySet<string>,
  issues: SpecIssue[],
  today: string,
): void {
  const known = [...guardrailIds].sort().join(', ');
  const latest = (days: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const checkLifetime = (
    report: Issue,
    at: PropertyKey[],
    expires: string,
    env: EnvironmentSpec,
  ) => {
    const max = env.guardrails.maxExceptionDays;
    if (expires > latest(max))
      report(
        at,
        `${expires} is more than ${max} days after ${today}; environment ${env.name} allows exceptions of at most guardrails.maxExceptionDays = ${max} days (until ${latest(max)}). Renew it when it runs out`,
      );
  };
  const envByName = new Map(environments.map((e) => [e.spec.name, e.spec]));
  for (const env of environments) {
    env.spec.guardrails.exceptions.forEach((e, i) => {
      const report = reporter(env, issues);
      if (!guardrailIds.has(e.policy))
        report(
          ['guardrails', 'exceptions', i, 'policy'],
          `unknown guardrail "${e.policy}"; expected one of: ${known}`,
        );
      checkLifetime(report, ['guardrails', 'exceptions', i, 'expires'], e.expires, env.spec);
    });
  }
  for (const t of tenants) {
    const report = reporter(t, issues);
    t.spec.policyExceptions.forEach((e, i) => {
      if (!guardrailIds.has(e.policy))
        report(
          ['policyExceptions', i, 'policy'],
          `unknown guardrail "${e.policy}"; expected one of: ${known}`,
        );
      for (const name of t.spec.environments) {
        const env = envByName.get(name);
        if (env) checkLifetime(report, ['policyExceptions', i, 'expires'], e.expires, env);
      }
    });
  }
  checkTenantIsolation(environments, tenants, issues);
}

/**
 * Environments are peered, connected through transit gateways or at least share the
 * corporate address plan: overlapping VPC CIDRs make those routes ambiguous for good.
 */
export function checkAcrossEnvironments(
  environments: readonly Located<EnvironmentSpec>[],
  issues: SpecIssue[],
): void {
  const range = (cidr: string) => {
    const [ip, bits] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const start = ipv4ToInt(ip ?? '');
    return [start, start + size - 1] as const;
  };
  for (let i = 0; i < environments.length; i++) {
    for (let j = i + 1; j < environments.length; j++) {
      const a = environments[i]!;
      const b = environments[j]!;
      const [a0, a1] = range(a.spec.aws.vpcCidr);
      const [b0, b1] = range(b.spec.aws.vpcCidr);
      if (a0 <= b1 && b0 <= a1) {
        for (const [own, other] of [
          [a, b],
          [b, a],
        ] as const)
          reporter(own, issues)(
            ['aws', 'vpcCidr'],
            `${own.spec.aws.vpcCidr} overlaps ${other.spec.aws.vpcCidr} of ${other.file}:${other.lineOf(['aws', 'vpcCidr']) ?? ''} aws.vpcCidr; give every environment its own range`,
          );
      }
    }
  }
}
