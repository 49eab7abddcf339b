import type { Context } from 'koa';
import { checkChangeReason, InvalidChangeReason } from '@planledger/core';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The request's `X-Change-Reason`, checked (`checkChangeReason`: at most 500 characters, no control
 * characters); undefined when absent or empty. Node hands header bytes over as latin1, so the
 * value is turned back into bytes and read as UTF-8: anything that is not UTF-8 is refused, and so
 * is the header given twice (which reason would be the one?).
 */
export function changeReasonOf(ctx: Context): string | undefined {
  const values = ctx.req.headersDistinct['x-change-reason'];
  if (values === undefined) return undefined;
  if (values.length > 1) throw new InvalidChangeReason('is given more than once; give one reason');
  let reason: string;
  try {
    reason = UTF8.decode(Buffer.from(values[0] ?? '', 'latin1'));
  } catch {
    throw new InvalidChangeReason('is not UTF-8');
  }
  return checkChangeReason(reason);
}
