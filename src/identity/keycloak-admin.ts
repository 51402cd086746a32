/**
 * The few calls of Keycloak's Admin REST API the realm convergence needs, over `fetch` (no
 * dependency, so the convergence Job runs this file as bundled). Every non-2xx answer throws
 * with the method, path, status and Keycloak's message.
 *
 * @see https://www.keycloak.org/docs-api/26.5.6/rest-api/index.html
 */

export interface AdminCredentials {
  /** Realm the admin authenticates in (`master` for the bootstrap admin). */
  readonly realm: string;
  /** A service-account client (client credentials grant)… */
  readonly clientId: string;
  readonly clientSecret?: string;
  /** …or a user with the password grant of `admin-cli`. */
  readonly username?: string;
  readonly password?: string;
}

export interface GroupRef {
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

export interface RoleRef {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

export class KeycloakAdminError extends Error {
  constructor(
    message: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = 'KeycloakAdminError';
  }
}

/** Page size of group listings (children and members are paginated since Keycloak 23). */
const PAGE = 100;

export class KeycloakAdmin {
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: AdminCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now() + 10_000) return this.token.value;
    const c = this.credentials;
    const form = new URLSearchParams(
      c.username !== undefined
        ? {
            grant_type: 'password',
            client_id: c.clientId,
            username: c.username,
            password: c.password ?? '',
          }
        : {
            grant_type: 'client_credentials',
            client_id: c.clientId,
            client_secret: c.clientSecret ?? '',
          },
    );
    const url = `${this.baseUrl}/realms/${encodeURIComponent(c.realm)}/protocol/openid-connect/token`;
    const res = await fetch(url, { method: 'POST', body: form });
    if (!res.ok) {
      throw new KeycloakAdminError(
        `Keycloak refused the admin credentials of client "${c.clientId}" in realm ${c.realm}: ${res.status} ${await res.text()}`,
        res.status,
      );
    }
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.token = { value: body.access_token, expiresAt: this.now() + body.expires_in * 1000 };
    return body.access_token;
  }

  /** One Admin API call; `undefined` for a 404 when `allow404`. */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    opts: { allow404?: boolean } = {},
  ): Promise<T | undefined> {
    const res = await fetch(`${this.baseUrl}/admin/realms${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status === 404 && opts.allow404) return undefined;
    if (!res.ok) {
      throw new KeycloakAdminError(
        `Keycloak Admin API ${method} ${path}: ${res.status} ${await res.text()}`,
        res.status,
      );
    }
    if (res.status === 201) {
      // Created: the new object's id is the last segment of Location.
      const loc = res.headers.get('location') ?? '';
      return loc.slice(loc.lastIndexOf('/') + 1) as T;
    }
    const text = await res.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async realmExists(realm: string): Promise<boolean> {
    return (await this.call('GET', `/${enc(realm)}`, undefined, { allow404: true })) !== undefined;
  }

  async createRealm(representation: unknown): Promise<void> {
    await this.call('POST', '', representation);
  }

  async partialImport(
    realm: string,
    body: Readonly<Record<string, unknown>>,
  ): Promise<{ added: number; skipped: number; overwritten: number }> {
    return (await this.call('POST', `/${enc(realm)}/partialImport`, body))!;
  }

  async groupByPath(realm: string, path: string): Promise<GroupRef | undefined> {
    const segments = path.slice(1).split('/').map(enc).join('/');
    return this.call<GroupRef>('GET', `/${enc(realm)}/group-by-path/${segments}`, undefined, {
      allow404: true,
    });
  }

  /** Creates a group at the top level or below `parentId`; returns its id. */
  async createGroup(realm: string, name: string, parentId?: string): Promise<string> {
    const path = parentId ? `/${enc(realm)}/groups/${parentId}/children` : `/${enc(realm)}/groups`;
    return (await this.call<string>('POST', path, { name }))!;
  }

  async children(realm: string, groupId: string): Promise<GroupRef[]> {
    const out: GroupRef[] = [];
    for (let first = 0; ; first += PAGE) {
      const page = (await this.call<GroupRef[]>(
        'GET',
        `/${enc(realm)}/groups/${groupId}/children?briefRepresentation=true&first=${first}&max=${PAGE}`,
      ))!;
      out.push(...page);
      if (page.length < PAGE) return out;
    }
  }

  async hasMembers(realm: string, groupId: string): Promise<number> {
    const page = (await this.call<unknown[]>(
      'GET',
      `/${enc(realm)}/groups/${groupId}/members?briefRepresentation=true&first=0&max=${PAGE}`,
    ))!;
    return page.length;
  }

  async deleteGroup(realm: string, groupId: string): Promise<void> {
    await this.call('DELETE', `/${enc(realm)}/groups/${groupId}`);
  }

  async groupRealmRoles(realm: string, groupId: string): Promise<RoleRef[]> {
    return (await this.call<RoleRef[]>(
      'GET',
      `/${enc(realm)}/groups/${groupId}/role-mappings/realm`,
    ))!;
  }

  async addGroupRealmRoles(realm: string, groupId: string, roles: RoleRef[]): Promise<void> {
    await this.call('POST', `/${enc(realm)}/groups/${groupId}/role-mappings/realm`, roles);
  }

  async removeGroupRealmRoles(realm: string, groupId: string, roles: RoleRef[]): Promise<void> {
    await this.call('DELETE', `/${enc(realm)}/groups/${groupId}/role-mappings/realm`, roles);
  }

  async realmRoles(realm: string): Promise<RoleRef[]> {
    return (await this.call<RoleRef[]>('GET', `/${enc(realm)}/roles?briefRepresentation=false`))!;
  }

  async updateRealmRole(realm: string, role: { name: string; description: string }): Promise<void> {
    await this.call('PUT', `/${enc(realm)}/roles/${enc(role.name)}`, role);
  }

  async clientByClientId(
    realm: string,
    clientId: string,
  ): Promise<(Record<string, unknown> & { id: string }) | undefined> {
    const list = (await this.call<(Record<string, unknown> & { id: string })[]>(
      'GET',
      `/${enc(realm)}/clients?clientId=${enc(clientId)}`,
    ))!;
    return list[0];
  }

  async updateClient(realm: string, id: string, representation: unknown): Promise<void> {
    await this.call('PUT', `/${enc(realm)}/clients/${id}`, representation);
  }

  async clientMappers(
    realm: string,
    id: string,
  ): Promise<(Record<string, unknown> & { id: string; name: string })[]> {
    return (await this.call('GET', `/${enc(realm)}/clients/${id}/protocol-mappers/models`))!;
  }

  async createClientMapper(realm: string, id: string, mapper: unknown): Promise<void> {
    await this.call('POST', `/${enc(realm)}/clients/${id}/protocol-mappers/models`, mapper);
  }

  async updateClientMapper(
    realm: string,
    id: string,
    mapperId: string,
    mapper: unknown,
  ): Promise<void> {
    await this.call(
      'PUT',
      `/${enc(realm)}/clients/${id}/protocol-mappers/models/${mapperId}`,
      mapper,
    );
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
