import { asParsed, type ManifestInput } from './parsed-manifests';
import type { EnvironmentModel, PlatformModel, TenantModel } from '../model/types';
import { celConverter, evaluateBundle, evaluateObject } from '../policy/evaluate-guardrails';
import type { Finding } from './run-check';

interface Json {
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

/** One declared exception and what it covered in this run. */
export interface ExceptionUse {
  readonly environment: string;
  readonly policy: string;
  readonly tenant?: string;
  readonly expires: string;
  readonly justification: string;
  readonly sourceFile: string;
  /** Findings it turned from errors into reported exemptions. */
  readonly covered: number;
  readonly expired: boolean;
}

export interface GuardrailReport {
  readonly findings: Finding[];
  readonly exceptions: ExceptionUse[];
  /** Guardrail evaluations that ran (guardrail × matching object or bundle). */
  readonly evaluations: number;
}

const TENANT_FOLDER = /^([^/]+)\/tenants\/([^/]+)\/[^/]+\.yaml$/;

/** One manifest of dist/ with its path (relative to dist/). */
export interface GuardedObject {
  readonly file: string;
  readonly obj: Json;
}

/** What the guardrails of one environment found in some of its objects. */
export interface GuardrailEvaluation {
  readonly findings: Finding[];
  /** Guardrail evaluations that ran (guardrail × matching object or bundle). */
  readonly evaluations: number;
  /** Findings each of the environment's exceptions covered, by its index in `env.exceptions`. */
  readonly uses: number[];
}

/**
 * Evaluates every guardrail of every environment over the files of dist/ with the CEL engine:
 * object guardrails on each manifest (with its Namespace as `namespaceObject`), bundle
 * guardrails on each tenant folder. Declared exceptions turn matching errors into reported
 * exemptions until the day after they expire (`today` is `YYYY-MM-DD`, UTC); an expired
 * exception is itself an error, and one that covers nothing is a warning.
 */
export function runGuardrails(
  model: PlatformModel,
  input: ManifestInput,
  today: string,
): GuardrailReport {
  const documents = asParsed(input);
  const findings: Finding[] = [];
  let evaluations = 0;
  const uses: number[][] = [];
  for (const env of model.environments) {
    const objects: GuardedObject[] = [];
    for (const { file, object } of documents) {
      if (!file.startsWith(`${env.name}/`)) continue;
      const obj = object as Json | null;
      if (obj && typeof obj.kind === 'string') objects.push({ file, obj });
    }
    const r = evaluateGuardrails(env, objects, namespacesOf(objects), today);
    findings.push(...r.findings);
    evaluations += r.evaluations;
    uses.push(r.uses);
  }
  const exceptions: ExceptionUse[] = [];
  model.environments.forEach((env, i) => {
    const r = exceptionReport(env, uses[i]!, today);
    findings.push(...r.findings);
    exceptions.push(...r.exceptions);
  });
  return { findings, exceptions, evaluations };
}

/** The Namespace objects among `objects`, by name (the last of a name wins). */
export function namespacesOf(objects: readonly GuardedObject[]): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const o of objects)
    if (o.obj.kind === 'Namespace') out.set(o.obj.metadata?.name as string, o.obj);
  return out;
}

/**
 * One environment's guardrails over some of its objects: each object guardrail on each of
 * `objects` (its Namespace looked up in `namespaces`, which may hold more than `objects`:
 * a check of part of an environment passes the Namespaces of the rest), each bundle guardrail
 * on each tenant folder among them (so a tenant folder must be passed whole). Counts what
 * each exception covered instead of judging it: only the sum over the whole environment says
 * whether it covered nothing (`exceptionReport`).
 */
export function evaluateGuardrails(
  env: EnvironmentModel,
  objects: readonly GuardedObject[],
  namespaces: ReadonlyMap<string, Json>,
  today: string,
): GuardrailEvaluation {
  const findings: Finding[] = [];
  let evaluations = 0;
  const uses = env.exceptions.map(() => 0);

  const report = (file: string, obj: Json | undefined, policy: string, message: string) => {
    const g = env.guardrails.find((x) => x.id === policy)!;
    const resource = obj ? `${obj.kind}/${obj.metadata?.name}` : '-';
    const index = env.exceptions.findIndex(
      (e) =>
        e.policy === policy &&
        (!e.tenant || file.startsWith(`${env.name}/tenants/${e.tenant}/`)) &&
        (!e.resources || e.resources.includes(resource)),
    );
    const exception = index < 0 ? undefined : env.exceptions[index]!;
    if (exception) uses[index]!++;
    const expired = exception !== undefined && exception.expires < today;
    const base = {
      check: 'guardrail' as const,
      file,
      resource,
      policy,
      remediation: g.remediation,
    };
    if (exception && !expired) {
      findings.push({
        ...base,
        severity: 'warning',
        message: `${message} (excepted until ${exception.expires}: ${exception.justification})`,
      });
    } else {
      findings.push({
        ...base,
        severity: g.severity,
        message: expired
          ? `${message} (exception in ${exception!.sourceFile} expired on ${exception!.expires})`
          : message,
      });
    }
  };

  // The documents are only read here: each is converted to CEL once for all guardrails.
  const cel = celConverter();
  for (const { file, obj } of objects) {
    const namespaceObject = obj.metadata?.namespace
      ? namespaces.get(obj.metadata.namespace)
      : undefined;
    for (const g of env.guardrails) {
      if (g.scope !== 'object') continue;
      const r = evaluateObject(g, obj, namespaceObject, cel);
      if (!r.matched) continue;
      evaluations++;
      for (const v of r.violations) report(file, obj, g.id, v);
      for (const e of r.errors)
        report(file, obj, g.id, `could not be evaluated, which fails closed: ${e}`);
    }
  }

  const bundles = new Map<string, Json[]>();
  for (const o of objects) {
    const m = TENANT_FOLDER.exec(o.file);
    if (!m || m[1] !== env.name) continue;
    const members = bundles.get(m[2]!);
    if (members) members.push(o.obj);
    else bundles.set(m[2]!, [o.obj]);
  }
  for (const [tenant, members] of bundles) {
    const ns = tenantsByName(env).get(tenant)?.namespace ?? tenant;
    const folderFile = `${env.name}/tenants/${tenant}/`;
    for (const g of env.guardrails) {
      if (g.scope !== 'bundle') continue;
      evaluations++;
      const r = evaluateBundle(g, ns, members, cel);
      for (const v of r.violations) report(folderFile, undefined, g.id, v);
      for (const e of r.errors)
        report(folderFile, undefined, g.id, `could not be evaluated, which fails closed: ${e}`);
    }
  }
  return { findings, evaluations, uses };
}

const TENANTS_BY_NAME = new WeakMap<EnvironmentModel, ReadonlyMap<string, TenantModel>>();

/**
 * An environment's tenants by name, built once an environment: a check calls
 * `evaluateGuardrails` once a unit of 25 tenants, and looking each up in the tenant list made
 * the check quadratic in the tenant count.
 */
function tenantsByName(env: EnvironmentModel): ReadonlyMap<string, TenantModel> {
  let byName = TENANTS_BY_NAME.get(env);
  if (!byName) {
    byName = new Map(env.tenants.map((t) => [t.name, t]));
    TENANTS_BY_NAME.set(env, byName);
  }
  return byName;
}

/**
 * Each of one environment's exceptions with what it covered (`uses`, by index, summed over
 * the whole environment), and the findings about the exceptions themselves: an expired one
 * that covered nothing is an error, an unexpired one that covered nothing a warning.
 */
export function exceptionReport(
  env: EnvironmentModel,
  uses: readonly number[],
  today: string,
): { findings: Finding[]; exceptions: ExceptionUse[] } {
  const findings: Finding[] = [];
  const exceptions: ExceptionUse[] = [];
  env.exceptions.forEach((e, i) => {
    const covered = uses[i] ?? 0;
    const expired = e.expires < today;
    exceptions.push({
      environment: env.name,
      policy: e.policy,
      ...(e.tenant ? { tenant: e.tenant } : {}),
      expires: e.expires,
      justification: e.justification,
      sourceFile: e.sourceFile,
      covered,
      expired,
    });
    if (expired && covered === 0) {
      findings.push({
        check: 'guardrail',
        severity: 'error',
        file: e.sourceFile,
        resource: '-',
        policy: e.policy,
        message: `exception expired on ${e.expires} (environment ${env.name}); remove it`,
      });
    } else if (covered === 0) {
      findings.push({
        check: 'guardrail',
        severity: 'warning',
        file: e.sourceFile,
        resource: '-',
        policy: e.policy,
        message: `exception covers nothing in environment ${env.name}; remove it or fix its resources`,
      });
    }
  });
  return { findings, exceptions };
}
