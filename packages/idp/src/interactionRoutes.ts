import { timingSafeEqual } from 'node:crypto';

import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { loginPage } from './loginPage.js';
import { readForm } from './readForm.js';
import type { UserAccount } from './devUsers.js';

/** Where oidc-provider sends a browser that must sign in: `/interaction/<uid>`. */
export const interactionUrl = (uid: string): string => `/interaction/${uid}`;

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;

/**
 * The login and consent interactions, as Koa middleware run by the provider itself
 * (`provider.use`): GET `/interaction/<uid>` shows the login page (or, when the browser is
 * already signed in and only consent is missing, grants it at once: every client here is
 * first-party), POST `/interaction/<uid>/login` checks the password. Consent grants the
 * requested scopes the user is allowed and records the rest as rejected, so the token carries
 * exactly the user's scopes that were asked for.
 */
export function interactionRoutes(provider: Provider, users: readonly UserAccount[]) {
  const byName = new Map(users.map((user) => [user.username, user]));
  const hints = users.map((user) => user.username);

  const finish = async (ctx: KoaContextWithOIDC, accountId: string, withLogin: boolean): Promise<void> => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const user = byName.get(accountId);
    const clientId = details.params['client_id'];
    if (user === undefined || typeof clientId !== 'string') ctx.throw(400, 'unknown account or client');
    const grant = details.grantId === undefined ? new provider.Grant({ accountId, clientId }) : await provider.Grant.find(details.grantId);
    if (grant === undefined) ctx.throw(400, 'the grant of this interaction is gone');
    const missing = (details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> });
    if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    const allowed = new Set(user.scope.split(' '));
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      const granted = scopes.filter((scope) => allowed.has(scope));
      const rejected = scopes.filter((scope) => !allowed.has(scope));
      if (granted.length > 0) grant.addResourceScope(resource, granted.join(' '));
      if (rejected.length > 0) grant.rejectResourceScope(resource, rejected.join(' '));
    }
    const grantId = await grant.save();
    const result = { ...(withLogin ? { login: { accountId } } : {}), consent: { grantId } };
    // At the login prompt the consent details are not computed yet, so this grant may be empty and
    // oidc-provider comes back once more for consent, which the GET above then grants at once.
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
    ctx.status = 303;
    ctx.redirect(returnTo);
  };

  const render = (ctx: KoaContextWithOIDC, uid: string, clientName: string, extra: { username?: string; error?: string } = {}) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    // No form-action: Chromium applies it to the redirects after the post too, which end at the client.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    ctx.body = loginPage({ action: `${interactionUrl(uid)}/login`, clientName, hints, ...extra });
  };

  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    const match = ROUTE.exec(ctx.path);
    if (match === null) return void (await next());
    const [, uid = '', login] = match;
    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      ctx.status = 400;
      ctx.type = 'text';
      ctx.body = 'This sign-in has expired or was already used; go back to the application and sign in again.';
      return;
    }
    if (details.uid !== uid) ctx.throw(400, 'interaction mismatch');
    const client = await provider.Client.find(String(details.params['client_id']));
    const clientName = client?.clientName ?? String(details.params['client_id']);

    if (ctx.method === 'GET' && login === undefined) {
      if (details.prompt.name === 'consent' && details.session?.accountId !== undefined) return finish(ctx, details.session.accountId, false);
      return render(ctx, uid, clientName);
    }
    if (ctx.method === 'POST' && login !== undefined) {
      const form = await readForm(ctx.req);
      const username = form.get('username')?.trim() ?? '';
      const user = byName.get(username);
      if (user === undefined || !samePassword(form.get('password') ?? '', user.password)) {
        ctx.status = 401;
        return render(ctx, uid, clientName, { username, error: 'Wrong username or password.' });
      }
      return finish(ctx, user.username, true);
    }
    ctx.status = 405;
  };
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
