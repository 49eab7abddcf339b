import Router from 'koa-router';
import { PLAN_SCHEMA } from '@planledger/core';
import { acceptQuery } from './queryParameters.js';

/** `GET /v1/schema/plan`: the JSON Schema every stored plan satisfies. */
export function schemaRouter(): Router {
  const router = new Router();
  router.get('/v1/schema/plan', acceptQuery(), (ctx) => {
    ctx.type = 'application/schema+json';
    ctx.body = PLAN_SCHEMA;
  });
  return router;
}
