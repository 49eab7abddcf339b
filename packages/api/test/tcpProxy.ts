import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to the traffic between the processes under test and the service:
 * - `pass`: forwards everything (a healed network);
 * - `drop`: a black hole — connections are accepted and kept open, nothing is forwarded either
 *   way; bytes sent meanwhile are held, as TCP holds unacknowledged data, and delivered when the
 *   network heals (so a command sent into the hole may still run later);
 * - `reset`: every connection, open or new, is reset (RST);
 * - `latency`: each chunk is forwarded `latencyMs` late, in order;
 * - `half-open`: one direction stops (held, as in `drop`): `toService` (requests never arrive)
 *   or `toClient` (requests arrive and run, answers never come back).
 */
export type FaultMode =
  | { readonly kind: 'pass' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'latency'; readonly latencyMs: number }
  | { readonly kind: 'half-open'; readonly stopped: 'toService' | 'toClient' };

export interface TcpProxy {
  readonly port: number;
  /** Closes the port and cuts every connection: to its clients the target is gone. */
  cut(): Promise<void>;
  /** Opens the port again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export interface FaultProxy extends TcpProxy {
  readonly mode: FaultMode;
  /** Applies a fault to open connections and to those made from now on. */
  setMode(mode: FaultMode): void;
  /** Back to `pass`: whatever was held is delivered, in order. */
  heal(): void;
  /** Connections accepted so far (each a client and its upstream). */
  readonly accepted: number;
}

const PASS: FaultMode = { kind: 'pass' };

/** One direction of one connection: forwards, delays or holds chunks by the proxy's mode. */
interface Direction {
  readonly from: Socket;
  readonly to: Socket;
  readonly toService: boolean;
  readonly held: Buffer[];
  /** Chunks on their way under added latency, each with when it is due; delivered strictly in order. */
  readonly delayed: Array<{ readonly due: number; readonly chunk: Buffer }>;
  timer: NodeJS.Timeout | null;
  /** Set when `from` ended: end `to` once everything held went through. */
  ended: boolean;
}

/** A loopback TCP proxy a test can cut and restore, or put into a fault mode, between the processes under test and a service. */
export async function startTcpProxy(targetPort: number, port = 0): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const directions = new Set<Direction>();
  let server: Server | null = null;
  let boundPort = port;
  let mode: FaultMode = PASS;
  let accepted = 0;

  const stops = (direction: Direction): boolean => {
    if (mode.kind === 'drop') return true;
    if (mode.kind !== 'half-open') return false;
    return mode.stopped === (direction.toService ? 'toService' : 'toClient');
  };
  // Byte order within a connection is kept whatever the mode does (TCP never reorders): a chunk
  // sent after the latency is lowered or healed still waits for those before it.
  const pump = (direction: Direction) => {
    direction.timer = null;
    for (let next = direction.delayed[0]; next && next.due <= Date.now(); next = direction.delayed[0]) {
      direction.delayed.shift();
      if (!direction.to.destroyed) direction.to.write(next.chunk);
    }
    const next = direction.delayed[0];
    if (next) direction.timer = setTimeout(() => pump(direction), next.due - Date.now());
    else endIfDone(direction);
  };
  const endIfDone = (direction: Direction) => {
    if (direction.ended && direction.held.length === 0 && direction.delayed.length === 0 && !direction.to.destroyed) direction.to.end();
  };
  const deliver = (direction: Direction, chunk: Buffer) => {
    if (direction.to.destroyed) return;
    const latencyMs = mode.kind === 'latency' ? mode.latencyMs : 0;
    if (latencyMs === 0 && direction.delayed.length === 0) {
      direction.to.write(chunk);
      return;
    }
    direction.delayed.push({ due: Date.now() + latencyMs, chunk });
    if (direction.timer === null) pump(direction);
  };
  const flush = (direction: Direction) => {
    for (let chunk = direction.held.shift(); chunk; chunk = direction.held.shift()) deliver(direction, chunk);
    endIfDone(direction);
  };
  const reset = (socket: Socket) => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };

  const join = (client: Socket) => {
    accepted += 1;
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    if (mode.kind === 'reset') {
      reset(client);
      upstream.destroy();
      return;
    }
    const out: Direction = { from: client, to: upstream, toService: true, held: [], delayed: [], timer: null, ended: false };
    const back: Direction = { from: upstream, to: client, toService: false, held: [], delayed: [], timer: null, ended: false };
    for (const direction of [out, back]) {
      directions.add(direction);
      direction.from.on('data', (chunk: Buffer) => {
        if (stops(direction) || direction.held.length > 0) direction.held.push(chunk);
        else deliver(direction, chunk);
      });
      // A side that ends has its held bytes delivered first (as TCP would, before its FIN).
      direction.from.on('end', () => {
        direction.ended = true;
        if (!stops(direction)) flush(direction);
      });
    }
    // A side that is destroyed (reset, killed) takes the other with it once nothing is held for it.
    client.on('close', () => {
      out.ended = true;
      if (out.held.length === 0) upstream.destroy();
    });
    upstream.on('close', () => {
      directions.delete(out);
      directions.delete(back);
      client.destroy();
    });
  };

  const open = async () => {
    server = createServer(join);
    server.listen(boundPort, '127.0.0.1');
    await once(server, 'listening');
    boundPort = (server.address() as { port: number }).port;
  };
  const shut = async () => {
    for (const socket of sockets) socket.destroy();
    directions.clear();
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = null;
  };
  const setMode = (next: FaultMode) => {
    mode = next;
    if (mode.kind === 'reset') {
      for (const socket of sockets) reset(socket);
      return;
    }
    for (const direction of directions) if (!stops(direction)) flush(direction);
  };
  await open();
  return {
    port: boundPort,
    cut: shut,
    restore: open,
    close: shut,
    get mode() {
      return mode;
    },
    setMode,
    heal: () => setMode(PASS),
    get accepted() {
      return accepted;
    },
  };
}
