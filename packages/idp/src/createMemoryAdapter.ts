import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * An in-memory oidc-provider adapter owned by one provider (oidc-provider's built-in one shares
 * module-wide state and warns on every start). JWT access tokens are never stored, so this only
 * answers client lookups and holds short-lived artifacts; everything is lost on restart.
 */
export function createMemoryAdapter(options: { now?: () => number } = {}): AdapterFactory {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const aliases = new Map<string, string>();

  const read = (key: string | undefined): AdapterPayload | undefined => {
    const entry = key === undefined ? undefined : entries.get(key);
    if (entry === undefined || key === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const keyOf = (id: string): string => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        entries.set(keyOf(id), { payload, expiresAt: now() + expiresIn * 1000 });
        if (payload.uid !== undefined) aliases.set(`uid:${payload.uid}`, keyOf(id));
        if (payload.userCode !== undefined) aliases.set(`userCode:${payload.userCode}`, keyOf(id));
      },
      find: async (id) => read(keyOf(id)),
      findByUid: async (uid) => read(aliases.get(`uid:${uid}`)),
      findByUserCode: async (userCode) => read(aliases.get(`userCode:${userCode}`)),
      async consume(id) {
        const payload = read(keyOf(id));
        if (payload !== undefined) payload.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const [key, entry] of entries) {
          if (entry.payload.grantId === grantId) entries.delete(key);
        }
      },
    };
  };
}
