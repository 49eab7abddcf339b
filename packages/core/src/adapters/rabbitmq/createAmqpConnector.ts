import amqp, { type ChannelModel } from 'amqplib';

export interface AmqpConnection {
  readonly connection: ChannelModel;
  /** The node it reached, without credentials (for logs). */
  readonly node: string;
}

export interface AmqpConnector {
  /**
   * Connects to the first node that answers, trying each once: the first call starts with the
   * first URL, every later call with the one after the node it reached last (a reconnect after a
   * drop tries another node first). Rejects, naming every node's failure, when none answers.
   */
  connect(): Promise<AmqpConnection>;
}

export interface AmqpConnectorOptions {
  /** The cluster's nodes (one URL for a single broker). */
  readonly urls: readonly string[];
  /** AMQP heartbeat, seconds (0: off); unless a URL sets its own `heartbeat`. */
  readonly heartbeatS?: number;
  /** How long one node may take to accept the TCP connection. */
  readonly connectTimeoutMs?: number;
}

/** A URL as logs may show it: no user name or password. */
export function nodeOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** Connects to one of a RabbitMQ cluster's nodes; see `connect`. */
export function createAmqpConnector({ urls, heartbeatS = 5, connectTimeoutMs = 5_000 }: AmqpConnectorOptions): AmqpConnector {
  if (urls.length === 0) throw new Error('No broker URL given.');
  let next = 0;
  const withHeartbeat = (url: string) => {
    const parsed = new URL(url);
    if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(heartbeatS));
    return parsed.toString();
  };
  return {
    async connect() {
      const failures: string[] = [];
      for (let tried = 0; tried < urls.length; tried += 1) {
        const index = (next + tried) % urls.length;
        const url = urls[index]!;
        try {
          const connection = await amqp.connect(withHeartbeat(url), { timeout: connectTimeoutMs });
          // Whoever holds the connection learns of a failure from 'close'; an 'error' without a listener would throw.
          connection.on('error', () => undefined);
          next = index + 1;
          return { connection, node: nodeOf(url) };
        } catch (error) {
          failures.push(`${nodeOf(url)}: ${(error as Error).message}`);
        }
      }
      throw new Error(`No RabbitMQ node answered (${failures.join('; ')}).`);
    },
  };
}
