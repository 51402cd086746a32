import { asParsed, type ManifestInput } from './parsed-manifests';
import type { PlatformModel, ResolvedException } from '../model/types';
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
  const uses = new Map<ResolvedException, number>();

  for (const env of model.environments) {
    const objects: { file: string; obj: Json }[] = [];
    for (const { file, object } of documents) {
      if (!file.startsWith(`${env.name}/`)) continue;
      const obj = object as Json | null;
      if (obj && typeof obj.kind === 'string') objects.push({ file, obj });
    }
    const namespaces = new Map(
      objects
        .filter((o) => o.obj.kind === 'Namespace')
        .map((o) => [o.obj.metadata?.name as string, o.obj]),
    );
    for (const e of env.exceptions) uses.set(e, 0);

    const report = (file: string, obj: Json | undefined, policy: string, message: string) => {
      const g = env.guardrails.find((x) => x.id === policy)!;
      const resource = obj ? `${obj.kind}/${obj.metadata?.name}` : '-';
      const exception = env.exceptions.find(
        (e) =>
          e.policy === policy &&
          (!e.tenant || file.startsWith(`${env.name}/tenants/${e.tenant}/`)) &&
          (!e.resources || e.resources.includes(resource)),
      );
      if (exception) uses.set(exception, (uses.get(exception) ?? 0) + 1);
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

    const bundles = new Map<string, { file: string; obj: Json }[]>();
    for (const o of objects) {
      const m = TENANT_FOLDER.exec(o.file);
      if (!m) continue;
      const members = bundles.get(m[2]!);
      if (members) members.push(o);
      else bundles.set(m[2]!, [o]);
    }
    for (const [tenant, members] of bundles) {
      const tenantModel = env.tenants.find((t) => t.name === tenant);
      const ns = tenantModel?.namespace ?? tenant;
      const folderFile = `${env.name}/tenants/${tenant}/`;
      for (const g of env.guardrails) {
        if (g.scope !== 'bundle') continue;
        evaluations++;
        const r = evaluateBundle(
          g,
          ns,
          members.map((m) => m.obj),
          cel,
        );
        for (const v of r.violations) report(folderFile, undefined, g.id, v);
        for (const e of r.errors)
          report(folderFile, undefined, g.id, `could not be evaluated, which fails closed: ${e}`);
      }
    }
  }

  const exceptions: ExceptionUse[] = [];
  for (const env of model.environments) {
    for (const e of env.exceptions) {
      const covered = uses.get(e) ?? 0;
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
    }
  }
  return { findings, exceptions, evaluations };
}
