import type { RedisClient } from '@planledger/core/redis';
import { InvalidCursor } from '@planledger/core';
import type { DeadLetter } from './DeadLetter.js';
import type { DeadLetterPage, DeadLetterStore } from './DeadLetterStore.js';

/**
 * KEYS: record, index, waiting. ARGV: id, json, score, waiting ('1' or ''), expected status ('' =
 * any), expected deadLetteredAt. Record, listing and waiting set move together; with an expected
 * status the record is replaced only while it still has that status and time (else 0).
 */
const SAVE = `
if ARGV[5] ~= '' then
  local current = redis.call('GET', KEYS[1])
  if not current then return 0 end
  local letter = cjson.decode(current)
  if letter.status ~= ARGV[5] or letter.deadLetteredAt ~= ARGV[6] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if ARGV[4] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) else redis.call('SREM', KEYS[3], ARGV[1]) end
return 1
`;

interface WithSave {
  planledgerDeadLetterSave(record: string, index: string, waiting: string, id: string, json: string, score: string, isWaiting: string, expected: string, expectedAt: string): Promise<number>;
}

/**
 * Dead letters in Redis under `<prefix>:{admin}:` (one slot): `dead-letter:<id>` (the record as
 * JSON), `dead-letters` (ids by time dead-lettered) and `dead-letters-waiting:<projection>`; each
 * change is one script, so a record is never listed without being counted or the other way round.
 */
export class RedisDeadLetterStore implements DeadLetterStore {
  private readonly redis: RedisClient & WithSave;
  private readonly base: string;

  constructor(redis: RedisClient, prefix: string, private readonly projections: readonly string[]) {
    redis.defineCommand('planledgerDeadLetterSave', { numberOfKeys: 3, lua: SAVE });
    this.redis = redis as RedisClient & WithSave;
    this.base = `${prefix}:{admin}`;
  }

  private save(letter: DeadLetter, expected?: DeadLetter): Promise<number> {
    return this.redis.planledgerDeadLetterSave(
      `${this.base}:dead-letter:${letter.id}`,
      `${this.base}:dead-letters`,
      `${this.base}:dead-letters-waiting:${letter.projection}`,
      letter.id,
      JSON.stringify(letter),
      String(Date.parse(letter.deadLetteredAt)),
      letter.status === 'waiting' ? '1' : '',
      expected?.status ?? '',
      expected?.deadLetteredAt ?? '',
    );
  }

  async record(letter: DeadLetter): Promise<void> {
    await this.save(letter);
  }

  async update(letter: DeadLetter, expected: DeadLetter): Promise<boolean> {
    return (await this.save(letter, expected)) === 1;
  }

  async get(id: string): Promise<DeadLetter | null> {
    const json = await this.redis.get(`${this.base}:dead-letter:${id}`);
    return json === null ? null : (JSON.parse(json) as DeadLetter);
  }

  async list({ projection, limit, cursor }: { projection?: string; limit: number; cursor?: string }): Promise<DeadLetterPage> {
    const after = cursor === undefined ? null : decodeCursor(cursor);
    const found: DeadLetter[] = [];
    let max = after ? String(after.score) : '+inf';
    let skipTies = after;
    // Newest first, in chunks, skipping what the previous page gave (same score, id not below the cursor's).
    for (let exhausted = false; !exhausted && found.length <= limit; ) {
      const chunk = await this.redis.zrevrangebyscore(`${this.base}:dead-letters`, max, '-inf', 'WITHSCORES', 'LIMIT', 0, 200);
      exhausted = chunk.length < 400;
      const pairs: [string, number][] = [];
      for (let i = 0; i + 1 < chunk.length; i += 2) pairs.push([chunk[i]!, Number(chunk[i + 1])]);
      const fresh = pairs.filter(([id, score]) => !skipTies || score < skipTies.score || id < skipTies.id);
      const records = fresh.length === 0 ? [] : await this.redis.mget(...fresh.map(([id]) => `${this.base}:dead-letter:${id}`));
      records.forEach((json) => {
        const letter = json === null ? null : (JSON.parse(json) as DeadLetter);
        if (letter && (projection === undefined || letter.projection === projection)) found.push(letter);
      });
      const last = pairs.at(-1);
      if (!last) break;
      max = String(last[1]);
      skipTies = { score: last[1], id: last[0] };
    }
    const page = found.slice(0, limit);
    const end = page.at(-1);
    return { deadLetters: page, next: found.length > limit && end ? encodeCursor({ score: Date.parse(end.deadLetteredAt), id: end.id }) : null };
  }

  async waiting(projection?: string): Promise<string[]> {
    const names = projection === undefined ? this.projections : [projection];
    return (await Promise.all(names.map((name) => this.redis.smembers(`${this.base}:dead-letters-waiting:${name}`)))).flat().sort();
  }

  async waitingCount(projection: string): Promise<number> {
    return this.redis.scard(`${this.base}:dead-letters-waiting:${projection}`);
  }
}

const encodeCursor = (cursor: { score: number; id: string }) => Buffer.from(JSON.stringify([cursor.score, cursor.id])).toString('base64url');

function decodeCursor(text: string): { score: number; id: string } {
  try {
    const [score, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof score === 'number' && typeof id === 'string') return { score, id };
  } catch {
    // falls through
  }
  throw new InvalidCursor();
}
