import type Provider from 'oidc-provider';
import type { Logger } from 'pino';

/** Routes what oidc-provider reports (issued tokens, refused requests, server errors) to the logger. */
export function logProviderEvents(provider: Provider, logger: Logger): void {
  provider.on('grant.success', (ctx) => {
    logger.info({ clientId: ctx.oidc.client?.clientId, scope: ctx.oidc.params?.['scope'] }, 'token issued');
  });
  provider.on('grant.error', (ctx, error) => {
    const clientId = ctx.oidc.client?.clientId;
    logger.warn({ clientId, error: error.error, detail: error.error_description }, 'token refused');
  });
  provider.on('server_error', (ctx, error) => {
    logger.error({ err: error, path: ctx.path }, 'identity provider error');
  });
  provider.app.on('error', (error: Error) => {
    logger.error({ err: error }, 'identity provider http error');
  });
}
