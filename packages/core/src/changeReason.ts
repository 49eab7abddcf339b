import { InvalidChangeReason } from './errors.js';

/** The longest reason a change may carry, in characters (Unicode code points). */
export const MAX_CHANGE_REASON_LENGTH = 500;

/** C0 controls (tab included), DEL and C1 controls: Unicode category Cc. */
const CONTROL = /\p{Cc}/u;

/**
 * Checks a change's reason as a client gave it: at most 500 characters and no control characters
 * (no tab, line break or NUL that could forge lines in logs and exports). Empty means no reason
 * (undefined). Throws InvalidChangeReason otherwise; returns the reason unchanged.
 */
export function checkChangeReason(reason: string): string | undefined {
  if (reason === '') return undefined;
  const length = [...reason].length;
  if (length > MAX_CHANGE_REASON_LENGTH) throw new InvalidChangeReason(`is ${length} characters long; at most ${MAX_CHANGE_REASON_LENGTH} are kept`);
  const control = CONTROL.exec(reason);
  if (control) throw new InvalidChangeReason(`holds the control character U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at character ${[...reason.slice(0, control.index)].length + 1}`);
  if (/\p{Cs}/u.test(reason)) throw new InvalidChangeReason('is not valid Unicode (a lone surrogate)');
  return reason;
}
