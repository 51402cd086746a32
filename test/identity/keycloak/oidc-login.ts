/**
 * Signs a user in the way a browser does (authorization-code flow through Keycloak's own
 * login form), so the suite gets real tokens without loosening the realm (direct access
 * grants stay off for every client).
 */
export interface Tokens {
  readonly access_token: string;
  readonly id_token: string;
}

export async function login(opts: {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  username: string;
  password: string;
}): Promise<Tokens> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const auth = new URL(`${opts.issuer}/protocol/openid-connect/auth`);
  auth.search = new URLSearchParams({
    client_id: opts.clientId,
    redirect_uri: opts.redirectUri,
    response_type: 'code',
    scope: 'openid',
    state: 'suite',
  }).toString();
  const page = await fetch(auth, { redirect: 'manual' });
  keep(page);
  const html = await page.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form (${page.status}): ${html.slice(0, 400)}`);
  const submit = await fetch(action.replaceAll('&amp;', '&'), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      username: opts.username,
      password: opts.password,
      credentialId: '',
    }),
  });
  const location = submit.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (submit.status !== 302 || !code) {
    throw new Error(
      `login of ${opts.username} to ${opts.clientId} failed (${submit.status}, location ${location}): ${(await submit.text()).slice(0, 400)}`,
    );
  }
  const token = await fetch(`${opts.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: opts.redirectUri,
      client_id: opts.clientId,
      ...(opts.clientSecret ? { client_secret: opts.clientSecret } : {}),
    }),
  });
  if (!token.ok) throw new Error(`token exchange failed: ${token.status} ${await token.text()}`);
  return (await token.json()) as Tokens;
}

/** The claims of a JWT (not verified: the registry under test does that). */
export function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
