/**
 * What the data stores are, decided once for both engines: encryption, exposure, credentials
 * and retention of RDS PostgreSQL and ElastiCache Redis.
 */

export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

/**
 * RDS PostgreSQL: encrypted storage, never publicly accessible, the master password managed
 * by RDS in Secrets Manager (never in any engine's state), IAM authentication on, automated
 * backups and a final snapshot, minor upgrades applied by RDS.
 */
export const POSTGRES_SETTINGS = {
  engine: 'postgres',
  autoMinorVersionUpgrade: true,
  storageType: 'gp3',
  storageEncrypted: true,
  publiclyAccessible: false,
  port: POSTGRES_PORT,
  copyTagsToSnapshot: true,
  skipFinalSnapshot: false,
  manageMasterUserPassword: true,
  iamDatabaseAuthenticationEnabled: true,
  enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
} as const;

/** Master user of the instance unless the props name another. */
export const POSTGRES_MASTER_USERNAME = 'platform_admin';

/**
 * ElastiCache Redis OSS: encrypted at rest (customer key) and in transit, TLS required, minor
 * upgrades applied by ElastiCache. (Terraform's schema spells two of these booleans as strings;
 * the cdktf construct writes `String(...)` of the same decision.)
 */
export const REDIS_SETTINGS = {
  engine: 'redis',
  port: REDIS_PORT,
  atRestEncryptionEnabled: true,
  transitEncryptionEnabled: true,
  transitEncryptionMode: 'required',
  autoMinorVersionUpgrade: true,
} as const;

/** The built-in `default` user every user group must contain: switched off. */
export const REDIS_DISABLED_DEFAULT_USER = {
  userName: 'default',
  engine: 'redis',
  accessString: 'off ~* -@all',
  authenticationMode: { type: 'no-password-required' },
} as const;

/** Application users: everything but admin commands (CONFIG, DEBUG, ...). */
export const REDIS_APPLICATION_ACCESS = 'on ~* +@all -@admin';
