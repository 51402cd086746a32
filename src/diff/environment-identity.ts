import type { EnvironmentSpec } from '../spec';
import { intToIpv4, ipv4ToInt } from '../spec/primitives';

/**
 * The fields of an environment spec that say WHICH environment it is, not how it is
 * configured: a value that differs between two environments only through these is expected to
 * differ and is not reported. The values come from the specs themselves; this lists fields.
 * `aws.vpcCidr` is handled as an address block (see `normalizeAddresses`), so subnets, NAT and
 * resolver addresses carved from it compare equal across environments too.
 */
export const IDENTITY_FIELDS: readonly {
  readonly field: string;
  readonly values: (spec: EnvironmentSpec) => readonly string[];
  /** A DNS name: also spelled in reverse, as registry names are (`com.example.dev`). */
  readonly dns?: boolean;
}[] = [
  { field: 'name', values: (s) => [s.name] },
  { field: 'displayName', values: (s) => [s.displayName] },
  { field: 'cluster.name', values: (s) => [s.cluster.name] },
  { field: 'cluster.domain', values: (s) => [s.cluster.domain], dns: true },
  { field: 'aws.accountId', values: (s) => [s.aws.accountId] },
  { field: 'aws.region', values: (s) => [s.aws.region] },
  { field: 'aws.availabilityZones', values: (s) => s.aws.availabilityZones },
  { field: 'aws.hostedZoneId', values: (s) => [s.aws.hostedZoneId] },
];

/** One spec value and the placeholder that stands for it once normalized. */
export interface IdentityValue {
  readonly field: string;
  readonly value: string;
  readonly placeholder: string;
}

/** Replaces what identifies an environment by placeholders, in strings and object keys. */
export interface EnvironmentNormalizer {
  readonly environment: string;
  readonly identity: readonly IdentityValue[];
  string(s: string): string;
  /**
   * `v` with every string and key normalized, except those in `keep`: the strings found
   * verbatim in the other output, so a common token that merely spells like an identity value
   * (`kagent.dev`, `/dev/xvda` when an environment is called `dev`) is left alone.
   */
  value<T>(v: T, keep?: ReadonlySet<string>): T;
}

/** Every string and object key inside `v`, for the `keep` set of `EnvironmentNormalizer.value`. */
export function collectStrings(v: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof v === 'string') into.add(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, into);
  else if (v && typeof v === 'object')
    for (const [k, child] of Object.entries(v)) {
      into.add(k);
      collectStrings(child, into);
    }
  return into;
}

const IPV4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(\/\d{1,2})?(?![\d.])/g;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The identity values of `spec` with the spellings derived names use: as written, with `-`
 * turned into `_` (Terraform logical ids such as `network_eu_west_1a_subnet`), and DNS names
 * reversed (MCP registry names).
 */
export function identityValues(spec: EnvironmentSpec): IdentityValue[] {
  const out: IdentityValue[] = [];
  const seen = new Set<string>();
  const add = (field: string, value: string, placeholder: string) => {
    if (value === '' || seen.has(value)) return;
    seen.add(value);
    out.push({ field, value, placeholder });
  };
  for (const { field, values, dns } of IDENTITY_FIELDS) {
    const list = values(spec);
    list.forEach((value, i) => {
      const name = `${field}${list.length > 1 ? `[${i}]` : ''}`;
      add(field, value, `«${name}»`);
      add(field, value.replaceAll('-', '_'), `«${name}»`);
      if (dns) add(field, value.split('.').reverse().join('.'), `«${name}:reversed»`);
    });
  }
  return out;
}

export function environmentNormalizer(spec: EnvironmentSpec): EnvironmentNormalizer {
  const identity = identityValues(spec);
  // Longest first, in one alternation: a value inside a longer one (the region inside a zone
  // name) never splits it, and a placeholder is never scanned again.
  const sorted = [...identity].sort((a, b) => b.value.length - a.value.length);
  const byValue = new Map(sorted.map((v) => [v.value, v.placeholder]));
  const pattern = new RegExp(
    `(?<![A-Za-z0-9])(${sorted.map((v) => escape(v.value)).join('|')})(?![A-Za-z0-9])`,
    'g',
  );
  const [net, bits] = spec.aws.vpcCidr.split('/');
  const vpcBase = ipv4ToInt(net!);
  const vpcSize = 2 ** (32 - Number(bits));

  const normalizeAddresses = (s: string) =>
    s.replace(IPV4, (match, ip: string, prefix: string | undefined) => {
      const n = ipv4ToInt(ip);
      const offset = n - vpcBase;
      if (offset < 0 || offset >= vpcSize) return match;
      if (offset === 0 && prefix === `/${bits}`) return '«aws.vpcCidr»';
      return `«aws.vpcCidr+${intToIpv4(offset)}${prefix ?? ''}»`;
    });

  const string = (s: string) => normalizeAddresses(s).replace(pattern, (m) => byValue.get(m) ?? m);

  const value = <T>(v: T, keep: ReadonlySet<string> = new Set()): T => {
    const one = (s: string) => (keep.has(s) ? s : string(s));
    const walk = (x: unknown): unknown => {
      if (typeof x === 'string') return one(x);
      if (Array.isArray(x)) return x.map(walk);
      if (x && typeof x === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, child] of Object.entries(x)) out[one(k)] = walk(child);
        return out;
      }
      return x;
    };
    return walk(v) as T;
  };
  return { environment: spec.name, identity, string, value };
}
