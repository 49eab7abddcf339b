import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Context, Middleware, Next } from 'koa';
import { MethodNotAllowed } from '../middleware/methodNotAllowed.js';
import { setProblem } from '../middleware/problemDetails.js';

/** What the console needs to sign people in; served as `/console/config.json`. */
export interface ConsoleConfig {
  /** The identity provider's issuer (its discovery document is below it). */
  readonly issuer: string;
  readonly clientId: string;
  /** Scopes the console asks for; a user gets those of them they have. */
  readonly scope: string;
}

export interface ConsoleRouterOptions {
  /** The console's build (`packages/console/dist`): `index.html` and hashed files under `assets/`. */
  readonly dir: string;
  readonly config: ConsoleConfig;
}

const BASE = '/console';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The web console as static files at `/console`, before authentication (the files hold no data;
 * the console signs in and sends the token with its own API calls). Files under `assets/` have
 * content hashes in their names and are cached for a year; any other path below `/console` is a
 * page of the single-page app and answers `index.html`, revalidated on every load, with a
 * Content-Security-Policy that lets it reach only this origin and the identity provider.
 */
export function consoleRouter({ dir, config }: ConsoleRouterOptions): Middleware {
  const root = resolve(dir);
  const issuerOrigin = new URL(config.issuer).origin;
  const policy = [
    "default-src 'self'",
    `connect-src 'self' ${issuerOrigin}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  const sendFile = async (ctx: Context, path: string, cacheControl: string): Promise<boolean> => {
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) return false;
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    ctx.set('Cache-Control', cacheControl);
    ctx.set('ETag', etag);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = TYPES[extname(path)] ?? 'application/octet-stream';
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return true;
    }
    ctx.body = ctx.method === 'HEAD' ? null : await readFile(path);
    ctx.length = info.size;
    return true;
  };

  return async function consoleFiles(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== BASE && !ctx.path.startsWith(`${BASE}/`)) return next();
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', 'GET, HEAD, OPTIONS');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw new MethodNotAllowed(ctx.method, ctx.path, ['GET', 'HEAD', 'OPTIONS']);
    if (ctx.path === BASE) return ctx.redirect(`${BASE}/`);
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice(BASE.length + 1));
    } catch {
      setProblem(ctx, 400, '/problems/http-400', 'Bad request', 'The path is not valid percent-encoded UTF-8.');
      return;
    }
    if (relative === 'config.json') {
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = config;
      return;
    }
    const path = normalize(join(root, relative));
    if (relative.startsWith('assets/')) {
      if (path.startsWith(root + sep) && (await sendFile(ctx, path, 'public, max-age=31536000, immutable'))) return;
      setProblem(ctx, 404, '/problems/not-found', 'Not found', `The console has no file ${ctx.path}.`);
      return;
    }
    if (relative !== '' && relative !== 'index.html' && path.startsWith(root + sep) && (await sendFile(ctx, path, 'public, max-age=3600'))) return;
    ctx.set('Content-Security-Policy', policy);
    if (await sendFile(ctx, join(root, 'index.html'), 'no-cache')) return;
    setProblem(ctx, 503, '/problems/console-not-built', 'Console not built', 'The console has not been built: run `npm run build`.');
  };
}
