const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** The issuer URL for a server bound to host:port; wildcard binds are reached over loopback. */
export function issuerFor(options: { host: string; port: number }): string {
  const host = WILDCARD_HOSTS.has(options.host) ? '127.0.0.1' : options.host;
  const authority = host.includes(':') ? `[${host}]` : host;
  return `http://${authority}:${options.port}`;
}
