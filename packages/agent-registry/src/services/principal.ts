import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { CatalogTenant } from '../catalog/schema.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/** Who is calling, from a verified OIDC bearer token. */
export interface Principal {
  readonly subject: string;
  /** Keycloak group paths, without the leading slash. */
  readonly groups: readonly string[];
  readonly admin: boolean;
}

const normalizeGroup = (g: string) => g.replace(/^\/+/, '');

export function assertCanManage(principal: Principal, tenant: CatalogTenant): void {
  if (principal.admin) return;
  const owners = new Set(tenant.owners.map(normalizeGroup));
  if (principal.groups.some((g) => owners.has(g))) return;
  throw new ForbiddenError(
    `${principal.subject} is not in an owner group of tenant ${tenant.name} (${tenant.owners.join(', ')}) and not a platform admin`,
  );
}

export function assertAdmin(principal: Principal): void {
  if (!principal.admin) throw new ForbiddenError(`${principal.subject} is not a platform admin`);
}

export interface BearerVerifierOptions {
  readonly issuer: string;
  readonly audience?: string;
  readonly keySet: JWTVerifyGetKey;
  readonly groupsClaim: string;
  readonly adminRole: string;
}

/** Verifies a bearer JWT (signature against the JWKS, issuer, expiry, audience). */
export async function verifyBearer(token: string, opts: BearerVerifierOptions): Promise<Principal> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, opts.keySet, {
      issuer: opts.issuer,
      ...(opts.audience ? { audience: opts.audience } : {}),
      clockTolerance: 30,
    }));
  } catch (err) {
    // The reason (expired, bad signature…) helps the caller; the token itself is never echoed.
    const reason = err instanceof joseErrors.JOSEError ? err.code : 'invalid token';
    throw new UnauthorizedError(`bearer token rejected: ${reason}`);
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new UnauthorizedError('bearer token rejected: no sub claim');
  }
  const rawGroups = payload[opts.groupsClaim];
  const groups = Array.isArray(rawGroups)
    ? rawGroups.filter((g): g is string => typeof g === 'string').map(normalizeGroup)
    : [];
  const roles = (payload.realm_access as { roles?: unknown } | undefined)?.roles;
  const admin = Array.isArray(roles) && roles.includes(opts.adminRole);
  const name =
    typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined;
  return { subject: name ? `${name} (${payload.sub})` : payload.sub, groups, admin };
}

/** The token of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
