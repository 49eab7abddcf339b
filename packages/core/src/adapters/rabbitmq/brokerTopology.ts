export interface BrokerTopology {
  /** Topic exchange the relay publishes every event to, routed by partition. */
  readonly exchange: string;
  /** Exchange poison messages go to once their delivery limit is reached. */
  readonly deadLetterExchange: string;
  readonly partitions: number;
  readonly deliveryLimit: number;
  /** The projections fed by the broker (names from the projector's registry); each has one queue per partition. */
  readonly projections: readonly string[];
  /** Initial members of each quorum queue (`x-quorum-initial-group-size`); absent: the broker default. */
  readonly quorumGroupSize?: number;
  routingKey(partition: number): string;
  queue(projection: string, partition: number): string;
  deadLetterQueue(projection: string): string;
}

/** Names for every exchange and queue under one namespace, so tests can use their own. */
export function createBrokerTopology({
  namespace,
  partitions,
  deliveryLimit,
  projections,
  quorumGroupSize = 0,
}: {
  namespace: string;
  partitions: number;
  deliveryLimit: number;
  projections: readonly string[];
  /** 0: the broker default (every cluster node). */
  quorumGroupSize?: number;
}): BrokerTopology {
  return {
    exchange: `${namespace}.events`,
    deadLetterExchange: `${namespace}.dead-letter`,
    partitions,
    deliveryLimit,
    projections,
    ...(quorumGroupSize > 0 ? { quorumGroupSize } : {}),
    routingKey: (partition) => `p.${partition}`,
    queue: (projection, partition) => `${namespace}.${projection}.p${partition}`,
    deadLetterQueue: (projection) => `${namespace}.${projection}.dead-letter`,
  };
}
