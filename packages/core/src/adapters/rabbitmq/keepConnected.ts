import type { Channel, ConfirmChannel } from 'amqplib';
import type { Logger } from '../../ports/Logger.js';
import type { AmqpConnection, AmqpConnector } from './createAmqpConnector.js';

/** A broker connection as a session sees it: channels opened through it are watched. */
export interface BrokerLink extends AmqpConnection {
  /** A channel whose closing (not asked for by this session) ends the session; `watch: false` for one the session reopens itself. */
  channel(options?: { watch?: boolean }): Promise<Channel>;
  confirmChannel(): Promise<ConfirmChannel>;
}

/** What a session started on a link: how to stop it and, for work that can fail, when it failed. */
export interface BrokerSession {
  stop(): Promise<void>;
  /** Rejects when the session's work fails (then it is started again on a fresh connection). */
  readonly done?: Promise<void>;
}

export interface KeepConnectedOptions {
  readonly connector: AmqpConnector;
  readonly logger: Logger;
  /** What runs on each connection: consumers, a relay. Started again after every loss. */
  start(link: BrokerLink): Promise<BrokerSession>;
  /** Longest wait between attempts while no node answers. */
  readonly maxBackoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface KeptConnection {
  /** Resolves once the first session runs; rejects when no node answered or the first session failed to start. */
  readonly started: Promise<void>;
  /** Resolves after `stop`; never rejects (losses are recovered from). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a session on a broker connection and keeps it running: when the connection drops (a node
 * died, a heartbeat was missed), a channel of the session closes, or the session's work fails,
 * the session is stopped, and started again on a connection to the next node that answers, with
 * a growing pause while none does. Messages a dropped consumer held are redelivered by the broker;
 * what a session published without a confirm is its own to publish again (the relay's pending
 * entries). Only the first start can fail, as a process start fails today.
 */
export function keepConnected({ connector, logger, start, maxBackoffMs = 5_000, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }: KeepConnectedOptions): KeptConnection {
  let stopping = false;
  let current: { session: BrokerSession | null; link: AmqpConnection } | null = null;
  let wake: () => void = () => undefined;
  let resolveStarted!: () => void;
  let rejectStarted!: (error: unknown) => void;
  const started = new Promise<void>((resolve, reject) => {
    resolveStarted = resolve;
    rejectStarted = reject;
  });

  /** One connection's life: resolves when it is lost (or stopping), with the reason. */
  const runOnce = async (first: boolean): Promise<{ reason: unknown; ranMs: number }> => {
    const opened = await connector.connect();
    if (stopping) {
      // Stopped while connecting: start nothing on it.
      await opened.connection.close().catch(() => undefined);
      return { reason: new Error('stopping'), ranMs: 0 };
    }
    const begun = Date.now();
    let lost: (reason: unknown) => void = () => undefined;
    const gone = new Promise<unknown>((resolve) => (lost = resolve));
    wake = () => lost(new Error('stopping'));
    opened.connection.on('close', (error?: unknown) => lost(error ?? new Error('broker connection closed')));
    const watch = <C extends Channel>(channel: C): C => {
      channel.on('error', () => undefined);
      channel.on('close', () => lost(new Error('a broker channel closed')));
      return channel;
    };
    const link: BrokerLink = {
      ...opened,
      channel: async ({ watch: watched = true } = {}) => {
        const channel = await opened.connection.createChannel();
        if (!watched) channel.on('error', () => undefined);
        return watched ? watch(channel) : channel;
      },
      confirmChannel: async () => watch(await opened.connection.createConfirmChannel()),
    };
    current = { session: null, link: opened };
    try {
      const session = await start(link);
      current.session = session;
      session.done?.then(
        () => lost(new Error('the session ended')),
        (error: unknown) => lost(error),
      );
    } catch (error) {
      await opened.connection.close().catch(() => undefined);
      current = null;
      throw error;
    }
    if (first) resolveStarted();
    logger.info({ node: opened.node }, 'broker connected');
    const reason = await gone;
    return { reason, ranMs: Date.now() - begun };
  };

  const endCurrent = async () => {
    const ending = current;
    current = null;
    if (!ending) return;
    await ending.session?.stop().catch((error: unknown) => logger.warn({ err: error }, 'broker session did not stop cleanly'));
    await ending.link.connection.close().catch(() => undefined);
  };

  const loop = async () => {
    for (let attempt = 0, first = true; !stopping; ) {
      try {
        const { reason, ranMs } = await runOnce(first);
        first = false;
        if (ranMs > 10_000) attempt = 0;
        if (!stopping) logger.warn({ err: reason }, 'broker connection lost: stopping its work and reconnecting');
      } catch (error) {
        if (first) {
          rejectStarted(error);
          return;
        }
        logger.error({ err: error }, 'broker unavailable: retrying');
      }
      await endCurrent();
      if (stopping) return;
      if (attempt > 0) await sleep(Math.min(maxBackoffMs, 100 * 2 ** Math.min(attempt, 10)));
      attempt += 1;
    }
  };

  const running = loop();
  return {
    started,
    done: running.then(() => undefined),
    async stop() {
      stopping = true;
      wake();
      await running.catch(() => undefined);
      await endCurrent();
    },
  };
}
