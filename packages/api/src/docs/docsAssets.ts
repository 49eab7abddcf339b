import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The page at `/docs`: Swagger UI from the swagger-ui-dist package, every file served by the api (no CDN). */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>planledger api</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on this api's document: no online validator (it would call out), OAuth 2.0
 * authorization code with PKCE, the redirect page served here too.
 */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect.html',
});
window.ui.initOAuth({ usePkceWithAuthorizationCodeGrant: true });
`;

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.html': 'text/html; charset=utf-8' };

/** The files of swagger-ui-dist the page and the OAuth redirect use; nothing else of the package is served. */
const PACKAGE_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png', 'oauth2-redirect.html', 'oauth2-redirect.js'] as const;

export interface DocsAsset {
  readonly type: string;
  readonly body: Buffer;
}

/** Reads each asset once, on first request, and keeps it; null for a name that is not an asset. */
export function createDocsAssets(): (name: string) => Promise<DocsAsset | null> {
  const root = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Promise<DocsAsset>>();
  return (name) => {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (type === undefined) return Promise.resolve(null);
    if (name === 'init.js') return Promise.resolve({ type, body: Buffer.from(INIT_SCRIPT) });
    if (!(PACKAGE_FILES as readonly string[]).includes(name)) return Promise.resolve(null);
    let asset = cache.get(name);
    if (!asset) {
      asset = readFile(join(root, name)).then((body) => ({ type, body }));
      cache.set(name, asset);
    }
    return asset;
  };
}
