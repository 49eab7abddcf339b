import os from 'node:os';
import { setting } from '@planledger/core';

/** How the relays and the projectors share the partitions (read by both mains). */
export const shareSettings = {
  instanceName: setting('string', 'INSTANCE_NAME', 'This process among the live instances of its role (relay or projector); unique per running instance.', `${os.hostname()}-${process.pid}`),
  partitionLeaseMs: setting('integer', 'PARTITION_LEASE_MS', 'How long a partition lease and a membership last without renewal: how soon a crashed instance’s partitions move to the others.', 10_000),
  partitionHeartbeatMs: setting('integer', 'PARTITION_HEARTBEAT_MS', 'How often an instance renews its membership and leases and rebalances (well under PARTITION_LEASE_MS).', 2_000),
};
