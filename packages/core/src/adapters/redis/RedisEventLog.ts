import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ChainableCommander } from 'ioredis';
import { VersionConflict, WriteUnconfirmed } from '../../errors.js';
import { foldPlan, type PlanState } from '../../evolvePlan.js';
import { jsonText, parseJsonText } from '../../jsonText.js';
import type { PlanDocument } from '../../planDocument.js';
import type { PlanEvent } from '../../planEvent.js';
import type { AppendRequest, AppendResult, EventLog, EventRange, IdempotencyOwner, IdempotencyRecord, PlanHead } from '../../ports/EventLog.js';
import { planKey, refOf, type PlanRef } from '../../planRef.js';
import { WeighedCache } from '../../weighedCache.js';
import { APPEND_SCRIPT } from './appendScript.js';
import type { RedisClient, ReplicaAcks } from './connectRedis.js';
import { EVENTS_SCRIPT, HEAD_SCRIPT, VERSION_AT_SCRIPT } from './readScripts.js';
import type { RedisKeys } from './redisKeys.js';

type AppendReply = [0, number] | [1, string] | [2, string];

/** A plan's head as this process last read or wrote it. */
interface HeldHead {
  readonly version: number;
  /** The log entry of the head's version: with the version, names this head among any a log written again could hold. */
  readonly position: string;
  readonly document: PlanDocument;
  /** The version of the document the head stores in Redis (0: none; readers fold from the start). */
  readonly documentVersion: number;
  /** The document's JSON length when last serialised or read whole (its weight in the cache). */
  readonly bytes: number;
}

interface WithAppend {
  planledgerAppend(...keysAndArgs: (string | Buffer)[]): Promise<AppendReply>;
  planledgerConfirmRecord(key: string): Promise<string | null>;
  planledgerRelease(claimKey: string, fingerprint: string): Promise<number>;
  planledgerEvents(versions: string, log: string, from: string, to: string): Promise<string[]>;
  planledgerHead(head: string, versions: string, log: string, heldVersion: string, heldPosition: string, most: string): Promise<string[]>;
  planledgerVersionAt(versions: string, at: string): Promise<number>;
}

/** Deletes an idempotency claim only while the given fingerprint still holds it. KEYS: claim. ARGV: fingerprint. */
const RELEASE_SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held and cjson.decode(held).fingerprint == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Reads an idempotency record and, when there is one, writes it again as it is (TTL kept): a
 * write on this connection, so a WAIT after it confirms the replicas hold everything the master
 * held when it ran, the record's own event included. KEYS: record.
 */
const CONFIRM_RECORD_SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held then redis.call('SET', KEYS[1], held, 'KEEPTTL') end
return held
`;

interface WithAppendPipeline extends ChainableCommander {
  planledgerAppend(...keysAndArgs: (string | Buffer)[]): WithAppendPipeline;
  planledgerConfirmRecord(key: string): WithAppendPipeline;
}

export interface RedisEventLogOptions {
  /** Keep a snapshot of the document every this many versions (time travel folds fewer events than this). */
  readonly snapshotEvery?: number;
  /**
   * Intervals the log's snapshots may also have been written with (by earlier releases, or before
   * `snapshotEvery` was changed): a read takes the nearest snapshot at or before its version at any
   * of them. Default: 100, the interval of every release before this one.
   */
  readonly pastSnapshotEvery?: readonly number[];
  /** Most events one read script returns (a long history is read in several, so no script blocks Redis for long). */
  readonly readChunk?: number;
  /**
   * Replicas that must confirm an append before it is acknowledged (default none): the append
   * script and a `WAIT count timeoutMs` go out in one pipeline, so the WAIT runs on the same
   * master connection right after the script; fewer confirmations fail the append with
   * `WriteUnconfirmed`. A replayed outcome (idempotency record) is confirmed the same way.
   */
  readonly replicaAcks?: ReplicaAcks;
  /**
   * At most this many versions between two writes of a plan's document into its head (default
   * 16; 1: every append writes it). The appends between send and store only the event; a head
   * read that does not find the plan in this process's memory folds the events after the stored
   * document (fewer than this many).
   */
  readonly headDocumentEvery?: number;
  /**
   * How much head JSON this process keeps parsed (default 8 MiB): the plans whose head it last
   * read or wrote. A head read finds the plan there when Redis holds the same version written by
   * the same log entry (a log written again under the same keys has other entries), and then reads
   * neither the document nor anything to fold; an append of the next change sends only its event.
   */
  readonly headCacheBytes?: number;
  /**
   * How much snapshot JSON this process keeps decoded (default 4 MiB): time travel near a
   * snapshot read before inflates and parses it once. A snapshot is reused only when the bytes
   * Redis holds are the bytes it was decoded from.
   */
  readonly snapshotCacheBytes?: number;
}

const decodeDocument = (json: string | null | undefined): PlanDocument | null => (json ? (parseJsonText(json) as PlanDocument) : null);
const isoTime = (ms: string): string => new Date(Number(ms)).toISOString();

/**
 * A snapshot as stored: the document's JSON deflated (raw DEFLATE) after a 0 byte, or the 0 byte
 * alone for a plan deleted at that version. A plan's JSON shrinks to about a third, so snapshots
 * can be kept often (time travel folds fewer events) for fewer bytes than plain ones. Logs of
 * earlier releases hold plain JSON ('{…}') or '' (deleted); both are read as they are.
 */
const SNAPSHOT_MARK = Buffer.from([0]);
const encodeSnapshot = (document: PlanDocument | null): Buffer => (document === null ? SNAPSHOT_MARK : Buffer.concat([SNAPSHOT_MARK, deflateRawSync(jsonText(document))]));
/** The JSON a stored snapshot holds ('' for a deleted plan). */
function snapshotJson(stored: Buffer): string {
  if (stored.length === 0 || stored.equals(SNAPSHOT_MARK)) return '';
  return stored[0] === SNAPSHOT_MARK[0] ? inflateRawSync(stored.subarray(1)).toString('utf8') : stored.toString('utf8');
}

/**
 * The event log on Redis Streams. Each event is stored once, in its partition's log stream; a
 * plan's history, time travel and snapshots are indexes into it (see versionRecords.ts).
 * `defineCommand` runs the scripts by EVALSHA and reloads them on NOSCRIPT, so a restarted Redis
 * that lost its script cache is handled.
 */
export class RedisEventLog implements EventLog {
  private readonly redis: RedisClient & WithAppend;
  private readonly snapshotEvery: number;
  private readonly snapshotIntervals: readonly number[];
  private readonly readChunk: number;
  private readonly replicaAcks: ReplicaAcks | null;
  private readonly headDocumentEvery: number;
  private readonly heads: WeighedCache<HeldHead>;
  private readonly snapshots: WeighedCache<{ readonly stored: Buffer; readonly document: PlanDocument | null }>;

  constructor(redis: RedisClient, private readonly keys: RedisKeys, { snapshotEvery = 25, pastSnapshotEvery = [100], readChunk = 500, replicaAcks, headDocumentEvery = 16, headCacheBytes = 8 * 1024 * 1024, snapshotCacheBytes = 4 * 1024 * 1024 }: RedisEventLogOptions = {}) {
    redis.defineCommand('planledgerAppend', { numberOfKeys: 5, lua: APPEND_SCRIPT });
    redis.defineCommand('planledgerConfirmRecord', { numberOfKeys: 1, lua: CONFIRM_RECORD_SCRIPT });
    redis.defineCommand('planledgerRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    redis.defineCommand('planledgerEvents', { numberOfKeys: 2, lua: EVENTS_SCRIPT });
    redis.defineCommand('planledgerVersionAt', { numberOfKeys: 1, lua: VERSION_AT_SCRIPT });
    redis.defineCommand('planledgerHead', { numberOfKeys: 3, lua: HEAD_SCRIPT });
    this.redis = redis as RedisClient & WithAppend;
    this.snapshotEvery = snapshotEvery;
    this.snapshotIntervals = [...new Set([snapshotEvery, ...pastSnapshotEvery])];
    this.readChunk = readChunk;
    this.replicaAcks = replicaAcks && replicaAcks.count > 0 ? replicaAcks : null;
    this.headDocumentEvery = Math.max(1, headDocumentEvery);
    this.heads = new WeighedCache(headCacheBytes);
    this.snapshots = new WeighedCache(snapshotCacheBytes);
  }

  /**
   * Runs one script on one slot and, when replicas must confirm, a WAIT right after it on the
   * same connection; `acknowledges(reply)` says whether the reply hands out a write (only then
   * do too few confirmations fail it).
   */
  private async confirmed<T>(write: (on: WithAppendPipeline) => WithAppendPipeline, alone: () => Promise<T>, acknowledges: (reply: T) => boolean): Promise<T> {
    const acks = this.replicaAcks;
    if (acks === null) return alone();
    const results = await write(this.redis.pipeline() as WithAppendPipeline)
      .wait(acks.count, acks.timeoutMs)
      .exec();
    const [[writeError, reply], [waitError, confirmed]] = results as [[Error | null, T], [Error | null, number]];
    if (writeError) throw writeError;
    if (!acknowledges(reply)) return reply;
    if (waitError) throw waitError;
    if (confirmed < acks.count) throw new WriteUnconfirmed(acks.count, confirmed);
    return reply;
  }

  async append({ event, document, idempotency }: AppendRequest): Promise<AppendResult> {
    const plan = refOf(event);
    const { version } = event;
    const partition = this.keys.partitionOf(plan);
    const keep = this.documentToKeep(plan, version, document);
    const keysAndArgs = [
      this.keys.log(partition),
      this.keys.head(plan),
      this.keys.versions(plan),
      this.keys.snapshots(plan),
      this.keys.idempotency(plan, scopeKey(idempotency?.key ?? '')),
      String(version - 1),
      JSON.stringify(event),
      document === null || keep.mode !== '' ? '' : jsonText(document),
      String(version),
      String(Date.parse(event.at)),
      event.org,
      version % this.snapshotEvery === 0 ? encodeSnapshot(document) : '',
      idempotency?.fingerprint ?? '',
      String(idempotency?.ttlSeconds ?? 0),
      String(partition),
      keep.mode,
      keep.position,
    ];
    const reply = await this.confirmed<AppendReply>((on) => on.planledgerAppend(...keysAndArgs), () => this.redis.planledgerAppend(...keysAndArgs), ([kind]) => kind !== 0);
    if (reply[0] === 0) {
      // The head is not the one this process held (or has moved on): read it whole next time.
      this.heads.delete(planKey(plan));
      throw new VersionConflict(event.planId, version - 1, Number(reply[1]));
    }
    if (reply[0] === 2) return { kind: 'replayed', record: JSON.parse(reply[1]) as IdempotencyRecord };
    const bytes = keep.mode === 'keep' ? keep.bytes : document === null ? 0 : jsonText(document).length;
    this.keepHead(plan, document && { version, position: reply[1], document, documentVersion: keep.documentVersion, bytes });
    return { kind: 'appended', position: reply[1], partition };
  }

  /**
   * Which document the head keeps after appending `version`: the one it holds (when this process
   * holds the head it is, and that document is fewer than `headDocumentEvery` versions back), none
   * (a young plan not held here, a create mostly: the fold of its few events), or `document`.
   */
  private documentToKeep(plan: PlanRef, version: number, document: PlanDocument | null): { mode: '' | '0' | 'keep'; position: string; documentVersion: number; bytes: number } {
    const whole = { mode: '', position: '', documentVersion: version, bytes: 0 } as const;
    if (document === null) return whole;
    const held = this.heads.get(planKey(plan));
    if (held === undefined) return version < this.headDocumentEvery ? { ...whole, mode: '0', documentVersion: 0 } : whole;
    if (held.version !== version - 1 || version - held.documentVersion >= this.headDocumentEvery) return whole;
    return { mode: 'keep', position: held.position, documentVersion: held.documentVersion, bytes: held.bytes };
  }

  async head(plan: PlanRef): Promise<PlanHead | null> {
    const held = this.heads.get(planKey(plan));
    const log = this.keys.log(this.keys.partitionOf(plan));
    // One round trip: the head this process holds, if Redis still has it; else what to build it from.
    const reply = await this.redis.planledgerHead(this.keys.head(plan), this.keys.versions(plan), log, held === undefined ? '' : String(held.version), held?.position ?? '', String(this.readChunk));
    if (reply.length === 0) return null;
    const [version = '', position = '', at = '', storedVersion = '', document = '', ...since] = reply;
    const current = Number(version);
    const head = { planId: plan.planId, version: current, org: plan.org, at: isoTime(at) };
    if (held !== undefined && reply.length === 3) return { ...head, document: held.document };
    // A head without documentVersion (an earlier release's) holds its document at its version.
    const documentVersion = storedVersion === '' ? current : Number(storedVersion);
    const remember = (read: PlanDocument | null, bytes: number) => {
      if (position !== '') this.keepHead(plan, read && { version: current, position, document: read, documentVersion, bytes });
      return read;
    };
    if (documentVersion < current) {
      // The document stored is an earlier version's: fold the events since (fewer than headDocumentEvery).
      let state = foldPlan(since.map((json) => JSON.parse(json) as PlanEvent), { version: documentVersion, document: decodeDocument(document) });
      if (state.version < current) state = foldPlan(await this.events(plan, { from: state.version + 1, to: current }), state);
      if (state.version !== current) throw new Error(`The log has no events ${plan.org}/${plan.planId}@${documentVersion + 1}–${current} to fold the head from.`);
      return { ...head, document: remember(state.document, state.document === null ? 0 : jsonText(state.document).length) };
    }
    if (!document) return { ...head, document: null };
    // Parsed on first use: a GET sends the text as it is, a time-travel read needs only the version.
    let parsed: PlanDocument | null | undefined;
    return {
      ...head,
      documentJson: document,
      get document() {
        return (parsed ??= remember(decodeDocument(document), document.length));
      },
    };
  }

  /** Remembers the plan's head (a deleted plan's is let go). */
  private keepHead(plan: PlanRef, held: HeldHead | null): void {
    if (held === null) this.heads.delete(planKey(plan));
    else this.heads.set(planKey(plan), held, held.bytes);
  }

  async versions(plans: readonly PlanRef[]): Promise<number[]> {
    // One HGET a plan (each in its own slot), sent together.
    return Promise.all(plans.map(async (plan) => Number((await this.redis.hget(this.keys.head(plan), 'version')) ?? 0)));
  }

  async events(plan: PlanRef, { from = 1, to = Number.MAX_SAFE_INTEGER }: EventRange = {}): Promise<PlanEvent[]> {
    const events: PlanEvent[] = [];
    const versions = this.keys.versions(plan);
    const log = this.keys.log(this.keys.partitionOf(plan));
    for (let first = Math.max(from, 1); first <= to; first += this.readChunk) {
      const last = Math.min(to, first + this.readChunk - 1);
      const chunk = await this.redis.planledgerEvents(versions, log, String(first), String(last));
      for (const json of chunk) events.push(JSON.parse(json) as PlanEvent);
      if (chunk.length < last - first + 1) break;
    }
    return events;
  }

  async stateAt(plan: PlanRef, version: number): Promise<PlanState> {
    if (version <= 0) return { version: 0, document: null };
    // Where a snapshot may be, nearest first: the newest multiple of each interval at or before the version.
    const bases = [...new Set(this.snapshotIntervals.map((every) => Math.floor(version / every) * every))].filter((base) => base > 0).sort((a, b) => b - a);
    if (bases.length === 0) return foldPlan(await this.events(plan, { to: version }));
    // The snapshots and the events after the nearest in one round trip (both commands go out together).
    const [snapshots, tail] = await Promise.all([this.redis.hmgetBuffer(this.keys.snapshots(plan), ...bases.map(String)), this.events(plan, { from: bases[0]! + 1, to: version })]);
    const found = snapshots.findIndex((snapshot) => snapshot !== null);
    // None there (a log written with another K): fold from the start.
    if (found < 0) return foldPlan(await this.events(plan, { to: version }));
    const base = bases[found]!;
    const events = found === 0 ? tail : [...(await this.events(plan, { from: base + 1, to: bases[0]! })), ...tail];
    return foldPlan(events, { version: base, document: this.snapshotDocument(plan, base, snapshots[found]!) });
  }

  /** The document a stored snapshot holds, decoded once while these same bytes are what Redis holds. */
  private snapshotDocument(plan: PlanRef, version: number, stored: Buffer): PlanDocument | null {
    const key = `${planKey(plan)}#${version}`;
    const known = this.snapshots.get(key);
    if (known?.stored.equals(stored)) return known.document;
    const json = snapshotJson(stored);
    const document = decodeDocument(json);
    // A copy: the reply's buffer may be a view of a much larger read.
    this.snapshots.set(key, { stored: Buffer.from(stored), document }, stored.length + json.length);
    return document;
  }

  async versionAt(plan: PlanRef, at: Date): Promise<number> {
    return Number(await this.redis.planledgerVersionAt(this.keys.versions(plan), String(at.getTime())));
  }

  async idempotencyRecord(plan: PlanRef, key: string): Promise<IdempotencyRecord | null> {
    const record = this.keys.idempotency(plan, scopeKey(key));
    // An outcome handed out again is acknowledged again: with replica confirmation on, it is confirmed first.
    const json = await this.confirmed<string | null>((on) => on.planledgerConfirmRecord(record), () => this.redis.get(record), (held) => held !== null);
    return json === null ? null : (JSON.parse(json) as IdempotencyRecord);
  }

  async claimIdempotencyKey(key: string, owner: IdempotencyOwner, ttlSeconds: number): Promise<IdempotencyOwner | null> {
    const claimKey = this.keys.idempotencyClaim(scopeKey(key));
    // SET NX ... GET (Redis 7): takes the key when free, else returns who holds it, in one step.
    const held = await this.redis.set(claimKey, JSON.stringify(owner), 'EX', ttlSeconds, 'NX', 'GET');
    return held === null ? null : (JSON.parse(held) as IdempotencyOwner);
  }

  async releaseIdempotencyKey(key: string, fingerprint: string): Promise<void> {
    await this.redis.planledgerRelease(this.keys.idempotencyClaim(scopeKey(key)), fingerprint);
  }
}

/** Callers' keys are arbitrary text: hash them into a bounded, safe key segment. */
function scopeKey(key: string): string {
  return key === '' ? '-' : createHash('sha256').update(key).digest('base64url');
}
