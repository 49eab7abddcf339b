import { amqpUrlsOf, type Logger } from '@planledger/core';
import { createAmqpConnector, keepConnected, type AmqpConnector, type BrokerLink, type BrokerSession, type KeptConnection } from '@planledger/core/rabbitmq';

/** The connector every process builds from its settings: AMQP_URLS (or AMQP_URL) with the heartbeat. */
export function brokerConnectorOf(config: { amqpUrls: readonly string[]; amqpUrl: string; amqpHeartbeatS: number }): AmqpConnector {
  return createAmqpConnector({ urls: amqpUrlsOf(config), heartbeatS: config.amqpHeartbeatS });
}

/** Starts `start` on a broker connection and keeps it running across node losses; resolves once it first runs. */
export async function keepBrokerSession(connector: AmqpConnector, logger: Logger, start: (link: BrokerLink) => Promise<BrokerSession>): Promise<KeptConnection> {
  const kept = keepConnected({ connector, logger, start });
  await kept.started;
  return kept;
}
