/** One setting: its environment name, what it does, its default, and how to read it. */
export interface Setting<T> {
  readonly env: string;
  readonly doc: string;
  readonly default: T | undefined;
  readonly parse: (raw: string) => T;
}

export type ConfigOf<S> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

type Kind = 'string' | 'integer' | 'boolean' | 'url' | 'urls';

type ValueOf<K extends Kind> = K extends 'integer' ? number : K extends 'boolean' ? boolean : K extends 'urls' ? readonly string[] : string;

const parseUrl = (raw: string): string => new URL(raw).toString().replace(/\/$/, '');

function parserOf(kind: Kind): (raw: string) => string | number | boolean | readonly string[] {
  switch (kind) {
    case 'integer':
      return (raw) => {
        if (!/^-?\d+$/.test(raw.trim())) throw new Error('must be an integer');
        return Number(raw);
      };
    case 'boolean':
      return (raw) => {
        if (!/^(true|false|1|0|yes|no)$/i.test(raw.trim())) throw new Error('must be true or false');
        return /^(true|1|yes)$/i.test(raw.trim());
      };
    case 'url':
      return parseUrl;
    case 'urls':
      // A comma-separated list; every item must be a URL.
      return (raw) => raw.split(',').map((item) => item.trim()).filter(Boolean).map(parseUrl);
    case 'string':
      return (raw) => raw;
  }
}

export function setting<K extends Kind>(
  kind: K,
  env: string,
  doc: string,
  defaultValue?: ValueOf<K>,
): Setting<ValueOf<K>> {
  return { env, doc, default: defaultValue, parse: parserOf(kind) as never };
}

/** Reads every setting of a schema from `env` once; reports all problems together. */
export function readConfig<S extends Record<string, Setting<unknown>>>(schema: S, env: Record<string, string | undefined>): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(schema)) {
    const raw = env[item.env];
    if (raw === undefined || raw === '') {
      if (item.default === undefined) problems.push(`${item.env} is required: ${item.doc}`);
      config[key] = item.default;
      continue;
    }
    try {
      config[key] = item.parse(raw);
    } catch (error) {
      problems.push(`${item.env}=${JSON.stringify(raw)} ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return config as ConfigOf<S>;
}
