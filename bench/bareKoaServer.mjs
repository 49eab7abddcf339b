// A bare Koa handler returning the same bytes as a GET of a plan: the limit GET by id is divided by.
// Started by bench/apiPathBench.ts with PORT and BODY_FILE.
import { readFileSync } from 'node:fs';
import Koa from 'koa';

const body = readFileSync(process.env.BODY_FILE ?? '', 'utf8');
const app = new Koa();
app.use((ctx) => {
  ctx.type = 'application/json';
  ctx.body = body;
});
const server = app.listen(Number(process.env.PORT ?? 3199), '127.0.0.1');
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
