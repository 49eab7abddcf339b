/**
 * A bare Koa handler answering every request with the same bytes (the limit GET by id is divided
 * by). Spawned by the ratio bench as its own process: `BODY_FILE` holds the bytes, `PORT` the port.
 */
import { readFileSync } from 'node:fs';
import Koa from 'koa';

const body = readFileSync(process.env.BODY_FILE ?? '');
const app = new Koa();
app.use((ctx) => {
  ctx.type = 'application/json';
  ctx.body = body;
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => process.exit(0));
