import type { Actor } from './api/types';

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** A time as people read it, in UTC (the api's times are UTC). */
export const formatTime = (iso: string | null | undefined): string => (iso ? `${dateTime.format(new Date(iso))} UTC` : '—');

/** "5 min ago" style, for lists. */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Who did it: the person (email or subject) and the client they used. */
export function formatActor(actor: Actor): string {
  if (typeof actor === 'string') return actor;
  const person = actor.email ?? actor.subject;
  const onBehalf = actor.act ? ` (by ${actor.act.client_id ?? actor.act.sub})` : '';
  return person && person !== actor.clientId ? `${person} via ${actor.clientId}${onBehalf}` : `${actor.clientId}${onBehalf}`;
}

export const formatNumber = (value: number): string => new Intl.NumberFormat('en-GB').format(value);

export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'unknown';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
