/** What one area of the cluster suite found. */
export interface CheckResult {
  /** Area: rbac, admission, conventions, scheduling. */
  readonly name: string;
  /** Cases (matrix cells, admission requests, pods) that were checked. */
  readonly cases: number;
  /** One line per wrong effect: the object, what was expected, what was observed. */
  readonly failures: readonly string[];
  /** Human-readable detail (the RBAC matrix, the pod placement table). */
  readonly report?: string;
}
