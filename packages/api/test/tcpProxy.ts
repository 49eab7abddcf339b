import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Closes the port and cuts every connection: to its clients the target is gone. */
  cut(): Promise<void>;
  /** Opens the port again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A loopback TCP proxy a test can cut and restore, to take a service away from the processes under test. */
export async function startTcpProxy(targetPort: number, port = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let boundPort = port;
  const open = async () => {
    server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.listen(boundPort, '127.0.0.1');
    await once(server, 'listening');
    boundPort = (server.address() as { port: number }).port;
  };
  const shut = async () => {
    for (const socket of sockets) socket.destroy();
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = null;
  };
  await open();
  return { port: boundPort, cut: shut, restore: open, close: shut };
}
