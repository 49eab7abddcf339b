import type { EventLog, PartitionLog } from '@planledger/core';
import type { ProjectionResources } from './projections/Projection.js';

/** What the admin operations on a projection (rebuild, verify) work with. */
export interface ProjectionContext extends ProjectionResources {
  /** The projection's name in the registry. */
  readonly projection: string;
  readonly log: EventLog;
  /** The partition logs, read in order by a rebuild. */
  readonly partitionLog?: PartitionLog;
}
