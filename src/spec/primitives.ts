import { z } from 'zod';

/** DNS-1123 label: what Kubernetes accepts as a namespace or object name segment. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_DNS_LABEL = 63;

export const dnsLabel = z
  .string()
  .max(MAX_DNS_LABEL, { error: `must be at most ${MAX_DNS_LABEL} characters (DNS-1123 label)` })
  .regex(DNS_LABEL, {
    error:
      'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  });

/** A mapping with at most `max` keys; the bound shows in the JSON Schema (`maxProperties`). */
export function boundedRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(
  key: K,
  value: V,
  max: number,
  what: string,
) {
  return z
    .record(key, value)
    .refine((r) => Object.keys(r).length <= max, {
      error: (issue) =>
        `has ${Object.keys(issue.input as object).length} ${what}; at most ${max} are allowed`,
    })
    .meta({ maxProperties: max });
}

export const displayName = z.string().trim().min(1).max(100);

/**
 * A list with an upper bound, so that no spec that passes can make a construct or a
 * Kubernetes object exceed its own limits. The bound shows in the JSON Schema (`maxItems`).
 */
export function boundedList<T extends z.ZodType>(item: T, max: number, what: string) {
  return z.array(item).max(max, {
    error: (issue) =>
      `lists ${(issue.input as unknown[]).length} ${what}; at most ${max} are allowed. Split the spec or ask the platform team`,
  });
}

/** A hostname such as `dev.agents.example.com`. */
export const hostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
    error: 'must be a lowercase DNS name such as agents.example.com',
  });

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** An IPv4 CIDR whose address is the network address (`10.0.0.0/16`, not `10.0.0.1/16`). */
export const ipv4Cidr = z
  .string()
  .max(18)
  .superRefine((value, ctx) => {
    const [ip, bits, ...rest] = value.split('/');
    const prefix = Number(bits);
    if (
      rest.length > 0 ||
      ip === undefined ||
      !IPV4.test(ip) ||
      !/^\d{1,2}$/.test(bits ?? '') ||
      prefix > 32
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an IPv4 CIDR such as 203.0.113.0/24, got "${value}"`,
      });
      return;
    }
    const addr = ipv4ToInt(ip);
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if ((addr & mask) >>> 0 !== addr) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" has host bits set; did you mean ${intToIpv4((addr & mask) >>> 0)}/${prefix}?`,
      });
    }
  });

export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** True when `cidr` contains the single address `ip`. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (ipv4ToInt(ip) & mask) >>> 0 === (ipv4ToInt(net ?? '') & mask) >>> 0;
}

/**
 * A well-formed container image reference (`registry/name[:tag][@sha256:digest]`). Whether it
 * is pinned (a version tag, not `:latest`, or a digest) is a guardrail's rule, not the spec's:
 * `mcp-servers-restricted` and `images-pinned` decide it once, in `npm run check` and in the
 * cluster, name the resource and the policy, and honour a declared policy exception.
 */
export const imageReference = z
  .string()
  .max(512)
  .superRefine((value, ctx) => {
    const ref =
      /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
    if (!ref.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an image reference such as ghcr.io/org/server:1.2.3, got "${value}"`,
      });
    }
  });

/** A Keycloak group path such as `/tenants/acme/developers` or a plain group name. */
export const groupName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^\/?[A-Za-z0-9][A-Za-z0-9._ -]*(\/[A-Za-z0-9][A-Za-z0-9._ -]*)*$/, {
    error: 'must be a Keycloak group name or path such as /tenants/acme/developers',
  });

/** Resource quota for one tenant namespace. Units are in the names. */
export const quotaShape = {
  /** CPU cores, applied to both requests and limits. */
  cpu: z.number().positive().max(10_000),
  /** Memory in GiB, applied to both requests and limits. */
  memoryGiB: z.number().positive().max(100_000),
  pods: z.int().min(1).max(100_000),
  services: z.int().min(0).max(10_000),
  configMaps: z.int().min(0).max(10_000),
  secrets: z.int().min(0).max(10_000),
  persistentVolumeClaims: z.int().min(0).max(10_000),
};
export const quota = z.strictObject(quotaShape);
export const partialQuota = z.strictObject(quotaShape).partial();
export type Quota = z.infer<typeof quota>;
export const QUOTA_KEYS = Object.keys(quotaShape) as (keyof Quota)[];

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDate = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date such as 2027-03-31' })
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      error: 'is not a real calendar date',
    },
  );

/**
 * A reviewed, time-boxed exemption from one guardrail. The check reports and counts every
 * exception and fails once it has expired, so exemptions cannot outlive their reason.
 */
export const policyException = z.strictObject({
  /** Guardrail id (a file name in policies/ without .yaml). */
  policy: z
    .string()
    .max(63)
    .regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Why the exemption is acceptable, for reviewers and auditors. */
  justification: z
    .string()
    .trim()
    .min(20, { error: 'must explain the exemption in at least 20 characters' })
    .max(1000),
  /** Last day the exemption holds (UTC). */
  expires: isoDate,
  /** Kind/name of the objects exempted, e.g. `MCPServer/ledger`; every object when omitted. */
  resources: boundedList(
    z
      .string()
      .max(317)
      .regex(/^[A-Za-z]+\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
    50,
    'resources',
  )
    .min(1)
    .optional(),
});
export type PolicyExceptionSpec = z.infer<typeof policyException>;

/** A registry host (`ghcr.io`, `registry.example.com:5000`, `localhost:5000`). */
const REGISTRY_HOST =
  /^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:[0-9]{1,5})?$/;
/** One path component of an image name (distribution/reference's `path-component`). */
const IMAGE_PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/**
 * An entry of an image registry allow-list: a registry host, optionally with a path prefix
 * (`registry.k8s.io`, `ghcr.io/acme`, `docker.io/library`), in the canonical form the
 * `images-allowed-registries` guardrail compares images in: images without a registry host are
 * Docker Hub's, so Docker Hub is written `docker.io` (never `index.docker.io`), and its
 * official images are `docker.io/library`. An entry allows the images whose repository equals
 * it or continues it with `/`, so `ghcr.io` never allows `ghcr.io.evil.com/...`.
 */
export const imageRegistry = z
  .string()
  .max(255, { error: 'must be at most 255 characters, the longest image name' })
  .superRefine((value, ctx) => {
    const [host = '', ...path] = value.split('/');
    const fail = (why: string) =>
      ctx.addIssue({
        code: 'custom',
        message: `${why}; write a registry host with an optional path prefix, such as registry.k8s.io or ghcr.io/acme, got "${value}"`,
      });
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(value)) return fail('must not carry a URL scheme');
    if (value.includes('@') || path.some((p) => p.includes(':')))
      return fail('must not carry a tag or digest: it names where images come from');
    if (!REGISTRY_HOST.test(host))
      return fail(
        'must start with a registry host: a lowercase DNS name with a dot (or localhost), optionally with :port',
      );
    if (host === 'index.docker.io')
      return fail('must write Docker Hub as docker.io, the form images are compared in');
    if (path.some((p) => !IMAGE_PATH_COMPONENT.test(p)))
      return fail(
        'has an empty or invalid path segment (lowercase letters, digits and single separators ._-)',
      );
  });
