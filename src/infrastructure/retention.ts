/**
 * How long the platform keeps what it deletes or logs, decided once for both engines (the
 * cdktf constructs take these as their defaults; the description uses them as they are).
 */
export const RETENTION_DAYS = {
  /** VPC flow logs. */
  flowLogs: 365,
  /** EKS control-plane logs. */
  controlPlaneLogs: 90,
  /** KMS key deletion window: the maximum, the longest time to notice a mistaken destroy. */
  keyDeletionWindow: 30,
  /** Replaced or deleted S3 object versions. */
  noncurrentObjectVersions: 30,
  /** Unfinished S3 multipart uploads (their parts cost storage). */
  incompleteUploads: 7,
  /** Daily ElastiCache snapshots. */
  cacheSnapshots: 7,
  /** Secrets Manager recovery window of the PostgreSQL endpoint secret (not a credential). */
  endpointSecretRecovery: 7,
} as const;

/** VPC flow logs: all traffic, to CloudWatch Logs, aggregated per minute. */
export const FLOW_LOG_SETTINGS = {
  trafficType: 'ALL',
  logDestinationType: 'cloud-watch-logs',
  maxAggregationInterval: 60,
} as const;

/** Managed node groups: on-demand capacity, a third of the nodes replaced at a time. */
export const NODE_GROUP_SETTINGS = {
  capacityType: 'ON_DEMAND',
  updateConfig: { maxUnavailablePercentage: 33 },
} as const;
