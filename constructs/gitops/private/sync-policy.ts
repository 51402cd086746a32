/**
 * The sync policy every generated Application shares: automated with prune and self-heal,
 * retried with exponential backoff, so ordering gaps between Applications (a CR synced before
 * its CRD's operator is up) converge instead of failing for good.
 */
export interface SyncPolicyOptions {
  /** Server-side apply: needed for CRDs over the 262 KB client-side annotation limit. */
  readonly serverSideApply: boolean;
  /** Create the destination namespace when the chart does not. */
  readonly createNamespace: boolean;
  /** Skip dry-run for kinds whose CRD another Application installs. */
  readonly skipDryRunOnMissingResource?: boolean;
}

export interface SyncPolicy {
  readonly automated: { readonly prune: boolean; readonly selfHeal: boolean };
  readonly retry: {
    readonly limit: number;
    readonly backoff: {
      readonly duration: string;
      readonly factor: number;
      readonly maxDuration: string;
    };
  };
  readonly syncOptions: string[];
}

export function automatedSyncPolicy(options: SyncPolicyOptions): SyncPolicy {
  return {
    automated: { prune: true, selfHeal: true },
    retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '10m' } },
    syncOptions: [
      ...(options.createNamespace ? ['CreateNamespace=true'] : []),
      ...(options.serverSideApply ? ['ServerSideApply=true'] : []),
      ...(options.skipDryRunOnMissingResource ? ['SkipDryRunOnMissingResource=true'] : []),
      // Deletion order matters for CRDs and namespaces: prune them after everything else.
      'PruneLast=true',
    ],
  };
}
