import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseRealm, RealmGroup, TenantRealmPart } from './realm-representation';

/**
 * Where the convergence program reads the declared realm: the base realm file (the mounted
 * base ConfigMap) and the tenant parts, from a folder or from the tenant ConfigMaps in
 * Keycloak's namespace (listed through the Kubernetes API with the Job's own service
 * account). Inputs are checked before anything is sent to Keycloak; a bad file is named.
 */

export class RealmSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RealmSourceError';
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RealmSourceError(`${where}: not JSON (${(err as Error).message})`);
  }
}

function assertGroup(g: unknown, where: string): asserts g is RealmGroup {
  const o = g as Record<string, unknown>;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.name !== 'string' ||
    typeof o.path !== 'string' ||
    !Array.isArray(o.realmRoles) ||
    !o.realmRoles.every((r) => typeof r === 'string') ||
    !Array.isArray(o.subGroups)
  ) {
    throw new RealmSourceError(
      `${where}: a group needs name, path, realmRoles (strings) and subGroups; got ${JSON.stringify(g)?.slice(0, 200)}`,
    );
  }
  o.subGroups.forEach((s, i) => assertGroup(s, `${where}.subGroups[${i}]`));
}

export function parseBaseRealm(text: string, where: string): BaseRealm {
  const o = parseJson(text, where) as Record<string, unknown>;
  if (typeof o?.realm !== 'string' || !Array.isArray(o.groups) || !Array.isArray(o.clients)) {
    throw new RealmSourceError(`${where}: a base realm needs realm, groups and clients`);
  }
  const roles = (o.roles as { realm?: unknown } | undefined)?.realm;
  if (!Array.isArray(roles)) throw new RealmSourceError(`${where}: roles.realm must be a list`);
  o.groups.forEach((g, i) => assertGroup(g, `${where}: groups[${i}]`));
  return o as unknown as BaseRealm;
}

export function parseTenantPart(text: string, where: string): TenantRealmPart {
  const o = parseJson(text, where) as Record<string, unknown>;
  if (typeof o?.tenant !== 'string')
    throw new RealmSourceError(`${where}: tenant must be a string`);
  assertGroup(o.group, `${where}: group`);
  return o as unknown as TenantRealmPart;
}

/** Every `*.json` of a folder, sorted by name. */
export function tenantPartsFromDir(dir: string): TenantRealmPart[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseTenantPart(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

export interface KubernetesSource {
  /** API server, e.g. https://kubernetes.default.svc. */
  readonly server: string;
  readonly token: string;
  readonly namespace: string;
  readonly labelSelector: string;
  /** Data key holding the part (TENANT_GROUPS_KEY). */
  readonly key: string;
}

/**
 * The tenant ConfigMaps of a namespace, page by page. In the pod, TLS trusts the service
 * account CA through NODE_EXTRA_CA_CERTS (set by the Job).
 */
export async function tenantPartsFromKubernetes(src: KubernetesSource): Promise<TenantRealmPart[]> {
  const out: TenantRealmPart[] = [];
  let cont = '';
  do {
    const q = new URLSearchParams({ labelSelector: src.labelSelector, limit: '500' });
    if (cont) q.set('continue', cont);
    const url = `${src.server}/api/v1/namespaces/${encodeURIComponent(src.namespace)}/configmaps?${q}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${src.token}` } });
    if (!res.ok) {
      throw new RealmSourceError(
        `listing ConfigMaps ${src.labelSelector} in ${src.namespace}: ${res.status} ${await res.text()}`,
      );
    }
    const list = (await res.json()) as {
      metadata?: { continue?: string };
      items: { metadata: { name: string }; data?: Record<string, string> }[];
    };
    for (const cm of list.items) {
      const text = cm.data?.[src.key];
      const where = `ConfigMap ${src.namespace}/${cm.metadata.name}`;
      if (text === undefined) throw new RealmSourceError(`${where} has no data key ${src.key}`);
      out.push(parseTenantPart(text, where));
    }
    cont = list.metadata?.continue ?? '';
  } while (cont);
  return out.sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
}
