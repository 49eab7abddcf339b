/** One line of a plan listing. */
export interface PlanSummary {
  readonly planId: string;
  readonly org: string;
  readonly version: number;
  /** Time of the plan's last change (ISO 8601). */
  readonly at: string;
  readonly planType: string | null;
}

export interface DirectoryPage {
  readonly items: PlanSummary[];
  /** Opaque cursor of the next page, or null on the last. */
  readonly next: string | null;
}

/**
 * The read model for listings and lookups that need no search engine: each org's plans newest
 * change first, which plans hold a nested objectId, and plan counts per org. Eventually
 * consistent with the log, rebuildable from it, never the base of a write.
 */
export interface PlanDirectory {
  list(org: string, page: { cursor?: string; limit: number }): Promise<DirectoryPage>;
  /** The org's plans (objectIds) holding a nested object with this objectId. */
  plansHolding(org: string, objectId: string): Promise<string[]>;
  counts(): Promise<Record<string, number>>;
}
