import type { Context } from 'koa';
import Router from 'koa-router';
import { InvalidParameter, JobNotFound } from '@planledger/core';
import { PROJECTION_NAMES, type AdminService, type JobRecord } from '@planledger/projector';
import { requireScope } from '../middleware/requireScope.js';
import { readAdminBody } from './adminBody.js';
import { acceptQuery, wholeNumber } from './queryParameters.js';

/** A job as the api shows it: the stored record without its bookkeeping, and its own address. */
export function jobView({ heartbeatAt: _heartbeatAt, owner: _owner, ...job }: JobRecord): Omit<JobRecord, 'heartbeatAt' | 'owner'> & { href: string } {
  return { ...job, href: `/v1/admin/jobs/${encodeURIComponent(job.id)}` };
}

/** A `projection` query parameter: one of the registry's names (400 otherwise). */
export function projectionParameter(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !PROJECTION_NAMES.includes(value)) throw new InvalidParameter([{ pointer: '/projection', message: `'${String(value)}' is not a projection; give one of ${PROJECTION_NAMES.join(', ')}.` }]);
  return value;
}

const accepted = (ctx: Context, job: JobRecord) => {
  const view = jobView(job);
  ctx.status = 202;
  ctx.set('Location', view.href);
  ctx.body = view;
};

/** Admin operations on projections (scope `admin`): their state, and rebuild, verify and repair as jobs. */
export function adminProjectionsRouter({ admin }: { admin: AdminService }): Router {
  const router = new Router();
  router.get('/v1/admin/projections', requireScope('admin'), acceptQuery(), async (ctx) => {
    const projections = await admin.projections();
    ctx.body = { projections: projections.map((projection) => ({ ...projection, job: projection.job ? jobView(projection.job) : null })) };
  });
  router.post('/v1/admin/projections/:name/rebuilds', requireScope('admin'), acceptQuery(), async (ctx) => {
    await readAdminBody(ctx, [], { optional: true });
    accepted(ctx, await admin.rebuild(ctx.params.name ?? ''));
  });
  router.post('/v1/admin/projections/:name/verifications', requireScope('admin'), acceptQuery(), async (ctx) => {
    await readAdminBody(ctx, [], { optional: true });
    accepted(ctx, await admin.verify(ctx.params.name ?? ''));
  });
  router.post('/v1/admin/projections/:name/repairs', requireScope('admin'), acceptQuery(), async (ctx) => {
    const { verification } = await readAdminBody(ctx, ['verification'], { optional: true });
    accepted(ctx, await admin.repair(ctx.params.name ?? '', verification));
  });
  router.get('/v1/admin/jobs', requireScope('admin'), acceptQuery('projection', 'limit'), async (ctx) => {
    const projection = projectionParameter(ctx.query.projection);
    const limit = ctx.query.limit === undefined ? 20 : wholeNumber('limit', ctx.query.limit, { max: 100 });
    ctx.body = { jobs: (await admin.jobs.list({ ...(projection ? { projection } : {}), limit })).map(jobView) };
  });
  router.get('/v1/admin/jobs/:id', requireScope('admin'), acceptQuery(), async (ctx) => {
    const job = await admin.jobs.get(ctx.params.id ?? '');
    if (!job) throw new JobNotFound(ctx.params.id ?? '');
    ctx.body = jobView(job);
  });
  router.delete('/v1/admin/jobs/:id', requireScope('admin'), acceptQuery(), async (ctx) => {
    ctx.status = 202;
    ctx.body = jobView(await admin.jobs.cancel(ctx.params.id ?? ''));
  });
  return router;
}
