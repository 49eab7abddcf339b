/** The projections fed by the broker; each has one queue per partition. */
export const PROJECTIONS = ['search', 'redis'] as const;
export type ProjectionName = (typeof PROJECTIONS)[number];

export interface BrokerTopology {
  /** Topic exchange the relay publishes every event to, routed by partition. */
  readonly exchange: string;
  /** Exchange poison messages go to once their delivery limit is reached. */
  readonly deadLetterExchange: string;
  readonly partitions: number;
  readonly deliveryLimit: number;
  routingKey(partition: number): string;
  queue(projection: ProjectionName, partition: number): string;
  deadLetterQueue(projection: ProjectionName): string;
}

/** Names for every exchange and queue under one namespace, so tests can use their own. */
export function createBrokerTopology({
  namespace,
  partitions,
  deliveryLimit,
}: {
  namespace: string;
  partitions: number;
  deliveryLimit: number;
}): BrokerTopology {
  return {
    exchange: `${namespace}.events`,
    deadLetterExchange: `${namespace}.dead-letter`,
    partitions,
    deliveryLimit,
    routingKey: (partition) => `p.${partition}`,
    queue: (projection, partition) => `${namespace}.${projection}.p${partition}`,
    deadLetterQueue: (projection) => `${namespace}.${projection}.dead-letter`,
  };
}
