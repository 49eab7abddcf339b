import type { ChangeEntry } from '@planledger/core';

/** The CSV columns of a change, in order (RFC 4180, header row first). */
export const CSV_COLUMNS = ['position', 'org', 'planId', 'version', 'type', 'at', 'clientId', 'subject', 'reason', 'requestId', 'changes'] as const;

/** One CSV field: quoted when it holds a quote, comma, CR or LF, or starts or ends with a space; quotes doubled. */
export function csvField(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]|^ | $/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(change: ChangeEntry): string {
  const values = [change.position, change.org, change.planId, change.version, change.type, change.at, change.actor.clientId, change.actor.subject, change.reason, change.requestId, change.changes.join(' | ')];
  return `${values.map(csvField).join(',')}\r\n`;
}

export const ndjsonLine = (change: ChangeEntry): string => `${JSON.stringify(change)}\n`;

/**
 * The text of an export, in pieces of about `pieceBytes` (so a write to the socket carries many
 * lines, not one): each piece is produced only when the consumer asks for it, so a slow client
 * holds the scan back instead of filling memory.
 */
export async function* exportText(changes: AsyncIterable<ChangeEntry>, line: (change: ChangeEntry) => string, { header = '', pieceBytes = 64 * 1024 }: { header?: string; pieceBytes?: number } = {}): AsyncGenerator<string> {
  let piece = header;
  for await (const change of changes) {
    piece += line(change);
    if (piece.length >= pieceBytes) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}
