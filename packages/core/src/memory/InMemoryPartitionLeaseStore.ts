import type { PartitionLeaseStore } from '../ports/PartitionLeaseStore.js';

/** The in-memory twin of the partition leases of one role, on a clock the caller may drive. */
export class InMemoryPartitionLeaseStore implements PartitionLeaseStore {
  private readonly members = new Map<string, number>();
  private readonly leases = new Map<number, { holder: string; until: number }>();

  constructor(readonly partitions: number, private readonly now: () => number = Date.now) {}

  async heartbeat(member: string, ttlMs: number): Promise<string[]> {
    this.members.set(member, this.now() + ttlMs);
    return this.live();
  }

  async leave(member: string): Promise<void> {
    this.members.delete(member);
  }

  async acquire(partition: number, member: string, ttlMs: number): Promise<boolean> {
    const holder = this.holder(partition);
    if (holder !== null && holder !== member) return false;
    this.leases.set(partition, { holder: member, until: this.now() + ttlMs });
    return true;
  }

  async release(partition: number, member: string): Promise<void> {
    if (this.holder(partition) === member) this.leases.delete(partition);
  }

  async holders(): Promise<(string | null)[]> {
    return Array.from({ length: this.partitions }, (_, partition) => this.holder(partition));
  }

  private live(): string[] {
    const now = this.now();
    for (const [member, until] of this.members) if (until <= now) this.members.delete(member);
    return [...this.members.keys()].sort();
  }

  private holder(partition: number): string | null {
    const lease = this.leases.get(partition);
    if (!lease || lease.until <= this.now()) return null;
    return lease.holder;
  }
}
