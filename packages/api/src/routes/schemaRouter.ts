import Router from 'koa-router';
import { PLAN_SCHEMA } from '@planledger/core';

/** `GET /v1/schema/plan`: the JSON Schema every stored plan satisfies. */
export function schemaRouter(): Router {
  const router = new Router();
  router.get('/v1/schema/plan', (ctx) => {
    ctx.type = 'application/schema+json';
    ctx.body = PLAN_SCHEMA;
  });
  return router;
}
