import type { FaultRow } from './faultRow.js';
import { concurrentWriters } from './rows/concurrentWriters.js';
import { elasticsearchOutage } from './rows/elasticsearchOutage.js';
import { instanceKillRow } from './rows/instanceKill.js';
import { esNodeKill, rabbitNodeKill, redisMasterKill } from './rows/nodeKill.js';
import { poisonEvent } from './rows/poisonEvent.js';
import { providedRow } from './rows/providedRow.js';
import { replayDuringFaults } from './rows/replayDuringFaults.js';
import { soak } from './rows/soak.js';

/** Every row of the fault table, in order (issue 12). */
export const FAULT_ROWS: readonly FaultRow[] = [
  redisMasterKill,
  instanceKillRow(2, 'api', true),
  instanceKillRow(3, 'relay', false),
  instanceKillRow(4, 'projector', true),
  rabbitNodeKill,
  esNodeKill,
  elasticsearchOutage,
  providedRow(8, 'network partition api↔Redis and projectors↔RabbitMQ', 'networkPartition'),
  replayDuringFaults,
  poisonEvent,
  providedRow(11, 'clock skew', 'clockSkew'),
  soak,
  concurrentWriters,
];
