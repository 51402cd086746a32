/**
 * Facts the registry program and the constructs that deploy it share. The Deployment's
 * ports, probes and mounts are read from here, so the manifest cannot disagree with the
 * program (DESIGN.md, "The flow").
 */

/** The port of the API and metrics (and of the probe paths too, for a caller inside the pod). */
export const REGISTRY_PORT = 8080;

/**
 * The port the kubelet probes: `/healthz` and `/readyz` only, served by a worker thread of
 * their own (`probe-server.ts`), so a saturated main loop does not delay them past the probe
 * timeout, while a wedged one still fails liveness.
 */
export const PROBE_PORT = 8081;

/** Probe and scrape paths served by `routes/health.ts` (and the probes by `probe-server.ts`). */
export const PROBE_PATHS = {
  liveness: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
} as const;

/** Namespace the registry runs in (one of PLATFORM_NAMESPACES in src/spec/reserved.ts). */
export const REGISTRY_NAMESPACE = 'agent-registry';

/** Name of the Deployment, Service, HTTPRoute and the other single objects. */
export const REGISTRY_NAME = 'agent-registry';

/**
 * The container image, pinned. `.github/workflows/registry-image.yaml` pushes
 * `${REGISTRY_IMAGE_REPOSITORY}:<tag>`; bump `REGISTRY_IMAGE_TAG` in the same PR that changes
 * the service so the synthesized Deployment references the image built from it.
 */
export const REGISTRY_IMAGE_REPOSITORY = 'ghcr.io/example-org/agent-registry';
export const REGISTRY_IMAGE_TAG = '0.1.0';
export const REGISTRY_IMAGE = `${REGISTRY_IMAGE_REPOSITORY}:${REGISTRY_IMAGE_TAG}`;

/**
 * The catalog ConfigMaps: one for the environment (no tenant data) named CATALOG_CONFIGMAP,
 * and one a tenant (`tenantCatalogConfigMap`), each holding its part under CATALOG_KEY. The
 * service lists and watches them by CATALOG_LABEL; a tenant's part also carries TENANT_LABEL.
 */
export const CATALOG_CONFIGMAP = 'agent-registry-catalog';
export const CATALOG_KEY = 'catalog.json';
export const CATALOG_LABEL = 'platform.agentic.io/registry-catalog';
export const CATALOG_LABEL_VALUES = { environment: 'environment', tenant: 'tenant' } as const;
export const TENANT_LABEL = 'platform.agentic.io/tenant';
export function tenantCatalogConfigMap(tenant: string): string {
  return `${CATALOG_CONFIGMAP}-${tenant}`;
}

/** Name of the ServiceAccount the pods run as (it may read the catalog ConfigMaps). */
export const REGISTRY_SERVICE_ACCOUNT = 'agent-registry';

/** Path prefix of the registry on the central gateway; the gateway strips it. */
export const REGISTRY_GATEWAY_PREFIX = '/registry';

/** Path prefix of the ext-authz check; the gateway appends the original request path. */
export const AUTHZ_PATH_PREFIX = '/ext-authz';

/** Headers the authorization check reads and returns to the gateway. */
export const AUTHZ_HEADERS = {
  /** Alternative to `Authorization: Bearer <key>` for clients that already use that header. */
  apiKey: 'x-api-key',
  tenant: 'x-agent-registry-tenant',
  keyId: 'x-agent-registry-key-id',
  /** The client address, added by the gateway (`addRequestHeaders`, CEL `source.address`). */
  source: 'x-agent-registry-source',
} as const;

/**
 * Request headers that carry a caller's platform credential (API key or owner token). The
 * gateway sends exactly these to the check and removes them before the tenant's workload.
 * Lower case: agentgateway and Gateway API match header names case-insensitively.
 */
export const CREDENTIAL_HEADERS = ['authorization', AUTHZ_HEADERS.apiKey] as const;

/**
 * The Keycloak client the registry's bearer tokens are issued to (the realm's audience
 * mapper puts it in `aud`); the Deployment sets REGISTRY_OIDC_AUDIENCE to it.
 */
export const REGISTRY_OIDC_CLIENT = 'agent-registry';

/**
 * The image's second program: applies the migrations as the schema owner and grants the
 * service's role (src/migrate.ts). The Deployment runs it as an init container.
 */
export const MIGRATE_COMMAND = [
  'node',
  '--enable-source-maps',
  'packages/agent-registry/dist/migrate.js',
] as const;

/** The PostgreSQL role the service connects as: it owns nothing and may only insert audit rows. */
export const SERVICE_DATABASE_ROLE = 'registry_service';

/** Where the pod mounts what the program reads from files. */
export const MOUNT_DIRS = {
  /** The service role's client certificate and key (tls.crt, tls.key). */
  databaseClientCert: '/var/run/agent-registry/db-client',
  /** The CA of the database server's certificate (ca.crt). */
  databaseCa: '/var/run/agent-registry/db-ca',
  /** The audit checkpoint signing key (tls.key). */
  auditSigner: '/var/run/agent-registry/audit-signer',
} as const;

/** Writable scratch directory (the root filesystem is read-only). */
export const TMP_DIR = '/tmp';

/** Non-root uid/gid the image runs as (the `node` user of the official Node image). */
export const RUN_AS_USER = 1000;

/**
 * The container's memory (request = limit) unless the deployment says otherwise: the heap cap
 * below (160 MiB) plus what the process holds outside it. Under `npm run bench:registry`
 * (10,000 agents, 100,000 keys, 1,000 connections) the server peaked at 197-258 MiB RSS with
 * that cap (reached while loading, not under the connections), so 320 MiB keeps a quarter of headroom.
 */
export const DEFAULT_MEMORY_MIB = 320;

/** The smallest container the registry runs in: half of it must hold the catalog index. */
export const MIN_MEMORY_MIB = 320;

/**
 * `NODE_OPTIONS` for a container of `memoryMiB`: V8 sizes its old generation from the machine's
 * memory, not the cgroup's, so without a cap the heap grows under load until the kernel kills
 * the pod (the benchmark measured 301-384 MiB RSS uncapped on a 24 GiB machine). Half the
 * container goes to the old generation, half to the young generation, code, buffers and the
 * sockets of 1,000 connections (~86 MiB measured). A 128 MiB heap ran out under the benchmark,
 * whose catalog of 10,000 agents needs ~130 MiB live.
 * The Deployment sets it and `npm run bench:registry` runs the server with it.
 */
export function nodeOptionsFor(memoryMiB: number): string {
  return `--max-old-space-size=${Math.floor(memoryMiB / 2)}`;
}
