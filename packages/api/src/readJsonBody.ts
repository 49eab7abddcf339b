import type { Context } from 'koa';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface JsonBody {
  readonly value: unknown;
  /** The body as sent, for request fingerprints. */
  readonly raw: string;
}

/**
 * Reads and parses a JSON request body: 415 unless the content type is one of `accepted`, 413
 * past the size limit, 400 for an empty body or malformed JSON. The body is read as a stream with
 * a hard cap, never buffered past it.
 */
export async function readJsonBody(ctx: Context, accepted: readonly string[] = ['application/json']): Promise<JsonBody> {
  const type = ctx.request.type;
  if (!accepted.includes(type)) {
    ctx.throw(415, `Send the body as ${accepted.join(' or ')}${type ? `, not ${type}` : ''}.`);
  }
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > MAX_BODY_BYTES) ctx.throw(413, `The body may be at most ${MAX_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) ctx.throw(413, `The body may be at most ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') ctx.throw(400, 'The body is empty.');
  try {
    return { value: JSON.parse(raw) as unknown, raw };
  } catch (error) {
    ctx.throw(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
}
