/**
 * Applies the declared platform realm to a running Keycloak (src/identity/realm-convergence.ts).
 * The realm-convergence Job runs this file (bundled); the identity suite runs it against a
 * real Keycloak.
 *
 *   converge-realm --keycloak-url URL --base realm.json (--tenants-dir DIR | --tenants-namespace NS)
 *   converge-realm --keycloak-url URL --realm platform --tenant part.json
 *
 * Admin credentials: KEYCLOAK_ADMIN_CLIENT_ID and KEYCLOAK_ADMIN_CLIENT_SECRET (a
 * service-account client of KEYCLOAK_ADMIN_REALM, default master), or instead of the secret
 * KEYCLOAK_ADMIN_CLIENT_SECRET_FILE, a file holding it: the Jobs mount the Secret as a file so
 * it never sits in the process environment. Prints the report as JSON.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KeycloakAdmin } from '../identity/keycloak-admin';
import { convergeRealm, convergeTenant } from '../identity/realm-convergence';
import {
  parseBaseRealm,
  parseTenantPart,
  tenantPartsFromDir,
  tenantPartsFromKubernetes,
} from '../identity/realm-sources';

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'keycloak-url': { type: 'string' },
      base: { type: 'string' },
      realm: { type: 'string' },
      'tenant-root': { type: 'string', default: '/tenants' },
      'tenants-dir': { type: 'string' },
      'tenants-namespace': { type: 'string' },
      'tenants-selector': { type: 'string', default: 'platform.agentic.io/realm-part=tenant' },
      'tenants-key': { type: 'string', default: 'groups.json' },
      tenant: { type: 'string' },
    },
    strict: true,
  });
  const url = values['keycloak-url'];
  if (!url)
    throw new Error('--keycloak-url is required, e.g. http://keycloak-keycloakx-http.keycloak');
  const clientId = process.env.KEYCLOAK_ADMIN_CLIENT_ID;
  const secretFile = process.env.KEYCLOAK_ADMIN_CLIENT_SECRET_FILE;
  if (secretFile && process.env.KEYCLOAK_ADMIN_CLIENT_SECRET) {
    throw new Error(
      'set one of KEYCLOAK_ADMIN_CLIENT_SECRET and KEYCLOAK_ADMIN_CLIENT_SECRET_FILE, not both',
    );
  }
  // A mounted Secret file may end with a newline; the secret itself never does.
  const clientSecret = secretFile
    ? readFileSync(secretFile, 'utf8').replace(/\r?\n$/, '')
    : process.env.KEYCLOAK_ADMIN_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new Error(
      'KEYCLOAK_ADMIN_CLIENT_ID and KEYCLOAK_ADMIN_CLIENT_SECRET (or KEYCLOAK_ADMIN_CLIENT_SECRET_FILE) must be set (the bootstrap admin client)',
    );
  }
  const kc = new KeycloakAdmin(url.replace(/\/+$/, ''), {
    realm: process.env.KEYCLOAK_ADMIN_REALM ?? 'master',
    clientId,
    clientSecret,
  });
  const tenantRoot = values['tenant-root'];
  let report;
  if (values.tenant) {
    if (!values.realm)
      throw new Error('--tenant needs --realm (the realm the tenant groups live in)');
    const tenant = parseTenantPart(readFileSync(values.tenant, 'utf8'), values.tenant);
    report = await convergeTenant(kc, { realm: values.realm, tenantRoot, tenant });
  } else {
    if (!values.base) throw new Error('--base (the base realm JSON) is required without --tenant');
    if (!values['tenants-dir'] === !values['tenants-namespace']) {
      throw new Error('give exactly one of --tenants-dir and --tenants-namespace');
    }
    const base = parseBaseRealm(readFileSync(values.base, 'utf8'), values.base);
    const tenants = values['tenants-dir']
      ? tenantPartsFromDir(values['tenants-dir'])
      : await tenantPartsFromKubernetes({
          server: `https://${process.env.KUBERNETES_SERVICE_HOST ?? 'kubernetes.default.svc'}:${process.env.KUBERNETES_SERVICE_PORT ?? '443'}`,
          token: readFileSync(`${SA}/token`, 'utf8').trim(),
          namespace: values['tenants-namespace']!,
          labelSelector: values['tenants-selector'],
          key: values['tenants-key'],
        });
    report = await convergeRealm(kc, { base, tenants, tenantRoot });
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`converge-realm: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
