/**
 * One made-up credential per family secretlint's recommended preset detects, in each
 * provider's documented shape, for the spec tests. Built from parts at run time (prefix +
 * generated body), so the repository itself holds no string a secret scanner would flag.
 */

/** Deterministic letters and digits (a small LCG): a body that is no real key. */
function body(
  length: number,
  alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789',
) {
  let x = length * 7919 + alphabet.length;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += alphabet[(x >>> 16) % alphabet.length];
  }
  return out;
}
const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const pem = (kind: string) =>
  [
    `-----BEGIN ${kind}PRIVATE KEY-----`,
    // The rule checks the DER magic: an ASN.1 SEQUENCE ("MI…") or "openssh-key-v1".
    kind === 'OPENSSH ' ? 'b3BlbnNzaC1rZXktdjE' : 'MIIEpAIBAAKCAQEA',
    ...Array.from({ length: 4 }, (_, i) => body(64 - i, `${LETTERS}0123456789+/`)),
    `-----END ${kind}PRIVATE KEY-----`,
  ].join('\n');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A GCP service-account key file's JSON, pasted on one line. */
const GCP_KEY = JSON.stringify({
  type: 'service_account',
  private_key_id: body(40, HEX),
  private_key: `${pem('')}\n`,
});

export interface CredentialSample {
  /** The family, as a test row names it. */
  readonly family: string;
  /** The secretlint rule (without `@secretlint/secretlint-rule-`) and message id expected. */
  readonly rule: string;
  readonly messageId: string;
  /**
   * A YAML scalar value (one line) to put in a free-text field; `context` samples are whole
   * `key: value` lines because the rule looks for the key name too.
   */
  readonly value: string;
  /** A block scalar (multi-line) rather than a one-line value. */
  readonly block?: true;
  /** Where in `value` the rule's match starts, when not at its start. */
  readonly at?: number;
}

export const CREDENTIALS: readonly CredentialSample[] = [
  {
    family: 'an AWS access key id',
    rule: 'aws',
    messageId: 'AWSAccessKeyID',
    value: `AKIA${body(16, UPPER)}`,
  },
  {
    family: 'an AWS secret access key',
    rule: 'aws',
    messageId: 'AWSSecretAccessKey',
    value: `aws_secret_access_key=${body(40, `${LETTERS}0123456789+/`)}`,
  },
  {
    family: 'a GCP service-account key (its PEM private key)',
    rule: 'privatekey',
    messageId: 'PrivateKey',
    value: GCP_KEY,
    at: GCP_KEY.indexOf('-----BEGIN'),
  },
  {
    family: 'an RSA private key',
    rule: 'privatekey',
    messageId: 'PrivateKey',
    value: pem('RSA '),
    block: true,
  },
  {
    family: 'an OpenSSH private key',
    rule: 'privatekey',
    messageId: 'PrivateKey',
    value: pem('OPENSSH '),
    block: true,
  },
  {
    family: 'an npm access token',
    rule: 'npm',
    messageId: 'NPM_ACCESS_TOKEN',
    value: `npm_${body(36)}`,
  },
  {
    family: 'a basic-auth URL',
    rule: 'basicauth',
    messageId: 'BasicAuth',
    value: `https://deploy:${body(16)}@git.example.com/repo.git`,
  },
  {
    family: 'a Slack bot token',
    rule: 'slack',
    messageId: 'SLACK_TOKEN',
    value: `xoxb-${body(12, '0123456789')}-${body(13, '0123456789')}-${body(24)}`,
  },
  {
    family: 'a Slack incoming webhook',
    rule: 'slack',
    messageId: 'IncomingWebhook',
    value: `https://hooks.slack.com/services/T${body(10, UPPER)}/B${body(10, UPPER)}/${body(24)}`,
  },
  {
    family: 'a SendGrid API key',
    rule: 'sendgrid',
    messageId: 'SENDGRID_KEY',
    value: `SG.${body(22)}.${body(43)}`,
  },
  {
    family: 'a Shopify access token',
    rule: 'shopify',
    messageId: 'SHOPIFY_KEY',
    value: `shpat_${body(32, HEX)}`,
  },
  {
    family: 'a Stripe secret key',
    rule: 'stripe',
    messageId: 'STRIPE_SECRET_KEY_LIVE',
    value: `sk_live_${body(24)}`,
  },
  {
    family: 'a GitHub classic token',
    rule: 'github',
    messageId: 'GITHUB_TOKEN',
    value: `ghp_${body(36)}`,
  },
  {
    family: 'a GitHub fine-grained token',
    rule: 'github',
    messageId: 'GITHUB_TOKEN',
    value: `github_pat_${body(22)}_${body(59)}`,
  },
  {
    family: 'a GitLab personal access token',
    rule: 'gitlab',
    messageId: 'GITLAB_PERSONAL_ACCESS_TOKEN',
    value: `glpat-${body(20)}`,
  },
  {
    family: 'a Grafana service-account token',
    rule: 'grafana',
    messageId: 'GRAFANA_SERVICE_ACCOUNT_TOKEN',
    value: `glsa_${body(32)}_${body(8, HEX)}`,
  },
  {
    family: 'an OpenAI project key',
    rule: 'openai',
    messageId: 'OPENAI_TOKEN',
    value: `sk-proj-${body(74)}T3BlbkFJ${body(74)}`,
  },
  {
    family: 'an Anthropic API key',
    rule: 'anthropic',
    messageId: 'ANTHROPIC_API_KEY',
    value: `sk-ant-api03-${body(93)}AA`,
  },
  { family: 'a Groq API key', rule: 'groq', messageId: 'GROQ_API_KEY', value: `gsk_${body(52)}` },
  {
    family: 'a Hugging Face token',
    rule: 'huggingface',
    messageId: 'HUGGINGFACE_USER_ACCESS_TOKEN',
    value: `hf_${body(34, LETTERS)}`,
  },
  {
    family: 'a Linear API key',
    rule: 'linear',
    messageId: 'LINEAR_API_TOKEN',
    value: `lin_api_${body(40)}`,
  },
  {
    family: 'a Notion integration token',
    rule: 'notion',
    messageId: 'NOTION_INTEGRATION_TOKEN',
    value: `ntn_${body(11, '0123456789')}${body(35)}`,
  },
  {
    family: 'a 1Password service-account token',
    rule: '1password',
    messageId: 'OPS_TOKEN',
    value: `ops_${b64(JSON.stringify({ email: `${body(12).toLowerCase()}@1passwordserviceaccounts.lcl`, secretKey: body(40), srpX: body(64, HEX), x: 'a' }))}`,
  },
  {
    family: 'a PostgreSQL connection string with a password',
    rule: 'database-connection-string',
    messageId: 'PostgreSQLConnection',
    value: `postgres://app:${body(16)}@db.example.com:5432/app`,
  },
  {
    family: 'a HashiCorp Vault service token',
    rule: 'hashicorp-vault',
    messageId: 'HASHICORP_VAULT_SERVICE_TOKEN',
    value: `hvs.${body(95)}`,
  },
  {
    family: 'a Vercel token',
    rule: 'vercel',
    messageId: 'VERCEL_PERSONAL_ACCESS_TOKEN',
    value: `vcp_${body(24)}`,
  },
  {
    family: 'a Databricks token',
    rule: 'databricks',
    messageId: 'DATABRICKS_PERSONAL_ACCESS_TOKEN',
    value: `dapi${body(32, HEX)}`,
  },
  {
    family: 'a Docker Hub personal access token',
    rule: 'docker',
    messageId: 'DOCKER_PERSONAL_ACCESS_TOKEN',
    value: `dckr_pat_${body(27)}`,
  },
  {
    family: 'a Figma personal access token',
    rule: 'figma',
    messageId: 'FIGMA_PERSONAL_ACCESS_TOKEN',
    value: `figd_${body(40)}`,
  },
  {
    family: 'a Cloudflare user API token',
    rule: 'cloudflare',
    messageId: 'CLOUDFLARE_USER_API_TOKEN',
    value: `cfut_${body(40)}${body(8, HEX)}`,
  },
  {
    family: 'a Tailscale auth key',
    rule: 'tailscale',
    messageId: 'TAILSCALE_AUTH_KEY',
    value: `tskey-auth-${body(12)}-${body(30)}`,
  },
];

const SYSTEM_MESSAGE_END = 'Never close issues.\n';

/**
 * `tenantYaml` (tenants/acme.yaml or a renamed copy) with one more line in its first agent's
 * systemMessage block holding `c`, and the line and column the finding must be reported at.
 */
export function plantInSystemMessage(
  tenantYaml: string,
  c: CredentialSample,
): { content: string; line: number; column: number } {
  const end = tenantYaml.indexOf(SYSTEM_MESSAGE_END);
  if (end < 0) throw new Error(`no "${SYSTEM_MESSAGE_END.trim()}" in the tenant to plant into`);
  const planted = c.block ? c.value.replace(/^/gm, '      ') : `      Use ${c.value} here.`;
  return {
    content: tenantYaml.replace(SYSTEM_MESSAGE_END, `${SYSTEM_MESSAGE_END}${planted}\n`),
    line: tenantYaml.slice(0, end).split('\n').length + 1,
    column: c.block ? 7 : 11 + (c.at ?? 0),
  };
}
