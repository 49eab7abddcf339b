import test from 'ava';
import type { Server } from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestIdp, type TestIdp } from '../../idp/test/startTestIdp.js';
import { startSecuredApi } from './authTestContext.js';
import { checkedFetch } from './contract/checkedFetch.js';

let idp: TestIdp;
let api: { baseUrl: string; server: Server };

test.before(async () => {
  idp = await startTestIdp();
  api = await startSecuredApi(idp.idp.issuer);
});

test.after.always(async () => {
  api?.server.close();
  await idp?.stop();
});

test('GET /v1/openapi.json › without a token: valid OpenAPI 3.1, served from where it was fetched, tokens from the issuer\'s discovery', async (t) => {
  const response = await checkedFetch(`${api.baseUrl}/v1/openapi.json`);
  t.is(response.status, 200);
  const document = (await response.json()) as { servers: { url: string }[]; components: { securitySchemes: { oauth2: { flows: Record<string, { tokenUrl: string }> } } } };
  const result = await new Validator().validate(document as unknown as Record<string, unknown>);
  t.true(result.valid, JSON.stringify(result.errors));
  t.deepEqual(document.servers, [{ url: api.baseUrl }]);
  const discovery = (await (await fetch(`${idp.idp.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  t.is(document.components.securitySchemes.oauth2.flows.clientCredentials?.tokenUrl, discovery.token_endpoint);
  t.is(document.components.securitySchemes.oauth2.flows.authorizationCode?.tokenUrl, discovery.token_endpoint);
});

test('GET /docs › without a token: a page whose every script, style sheet and image the api serves itself, with no other host named', async (t) => {
  const page = await checkedFetch(`${api.baseUrl}/docs`);
  t.is(page.status, 200);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html/);
  const html = await page.text();
  t.notRegex(html, /(https?:)?\/\/[^/]/, 'no absolute or protocol-relative URL');
  const assets = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  t.true(assets.length >= 3, assets.join(' '));
  for (const asset of assets) {
    const response = await checkedFetch(new URL(asset, `${api.baseUrl}/docs`).href);
    t.is(response.status, 200, asset);
    t.true((await response.arrayBuffer()).byteLength > 0, asset);
  }
  t.is((await checkedFetch(`${api.baseUrl}/docs/oauth2-redirect.html`)).status, 200, 'the OAuth 2.0 redirect page too');
  t.is((await checkedFetch(`${api.baseUrl}/docs/package.json`)).status, 404, 'nothing else of the package');
});
