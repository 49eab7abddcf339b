import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import { DomainError, parseStrictJson } from '@planledger/core';
import { parseMediaType } from './parseMediaType.js';
import { limitsOf } from './requestLimits.js';

export interface JsonBody {
  readonly value: unknown;
  /** The body as sent, for request fingerprints. */
  readonly raw: string;
  /** The media type it was sent as, lower case and without parameters (`application/json`). */
  readonly type: string;
}

const JSON_PATCH = 'application/json-patch+json';

/**
 * Reads and parses a JSON request body, the one way every JSON body enters the api. 415 unless
 * the media type (case-insensitive, parameters allowed) is one of `accepted` with no charset or
 * `utf-8`, and no content coding; 413 past `maxBodyBytes` (read as a stream with a hard cap, never
 * buffered past it); 400 for an empty body, invalid UTF-8 or JSON that `parseStrictJson` refuses
 * (syntax, duplicate members, numbers out of range, depth and array length past the limits); 400
 * for a JSON Patch with more than `maxPatchOperations` operations.
 */
export async function readJsonBody(ctx: Context, accepted: readonly string[] = ['application/json']): Promise<JsonBody> {
  const limits = limitsOf(ctx);
  const header = ctx.get('content-type');
  const media = header ? parseMediaType(header) : null;
  if (!media || !accepted.includes(media.type)) {
    ctx.throw(415, `Send the body as ${accepted.join(' or ')}${header ? `, not ${header}` : ''}.`);
  }
  const charset = media.parameters.get('charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    ctx.throw(415, `JSON is read as UTF-8 only (RFC 8259); send charset=utf-8 or no charset, not charset=${charset}.`);
  }
  const coding = ctx.get('content-encoding').trim().toLowerCase();
  if (coding !== '' && coding !== 'identity') ctx.throw(415, `Send the body without a content coding, not ${coding}.`);

  const tooLarge = `The body may be at most ${limits.maxBodyBytes} bytes.`;
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > limits.maxBodyBytes) ctx.throw(413, tooLarge);
  const bytes = await readCapped(ctx.req, limits.maxBodyBytes);
  // The rest of the body is not read: the answer closes the connection (Node then closes it once the answer is out).
  if (bytes === null) ctx.throw(413, tooLarge, { headers: { connection: 'close' } });
  if (!isUtf8(bytes)) throw new DomainError('INVALID_JSON', 'The body is not valid UTF-8.');
  const raw = bytes.toString('utf8');
  if (raw.trim() === '') throw new DomainError('INVALID_JSON', 'The body is empty.');
  const value = parseStrictJson(raw, { maxDepth: limits.maxJsonDepth, maxArrayLength: limits.maxArrayLength });
  if (media.type === JSON_PATCH && Array.isArray(value) && value.length > limits.maxPatchOperations) {
    throw new DomainError('LIMIT_EXCEEDED', `A JSON Patch may hold at most ${limits.maxPatchOperations} operations; this one holds ${value.length}.`, [
      { pointer: `/${limits.maxPatchOperations}`, message: `is past the limit of ${limits.maxPatchOperations} operations` },
    ]);
  }
  return { value, raw, type: media.type };
}

/**
 * The whole body, or null once it passes `maxBytes` (then no more of it is kept: what follows is
 * discarded until the answer closes the connection). Rejects when the client goes away before the end. Listeners rather than an
 * async iterator: a body is usually one chunk, and the iterator's promises cost more than it.
 */
function readCapped(request: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  if (request.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      settle(() => resolve(null));
      request.resume();
    };
    const onEnd = () => settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => settle(() => reject(new Error('The request was closed before its body ended.')));
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
