import { setting } from '@planledger/core';

/** Settings of admin jobs, read by every process that runs them (the api, the CLI). */
export const adminSettings = {
  adminJobLeaseMs: setting('integer', 'ADMIN_JOB_LEASE_MS', 'How long an admin job may go without a heartbeat before it counts as interrupted (and its projection’s lock lapses).', 10_000),
};
