/**
 * JSON text with object members sorted by key at every level: equal JSON values give equal text.
 * Walks with an explicit stack, so nesting depth cannot exhaust the call stack.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Literal) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      const parts: unknown[] = [new Literal('[')];
      item.forEach((element, index) => parts.push(...(index > 0 ? [new Literal(',')] : []), element === undefined ? null : element));
      parts.push(new Literal(']'));
      for (let i = parts.length - 1; i >= 0; i -= 1) stack.push(parts[i]);
    } else if (typeof item === 'object' && item !== null) {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
      const parts: unknown[] = [new Literal('{')];
      keys.forEach((key, index) => parts.push(new Literal(`${index > 0 ? ',' : ''}${JSON.stringify(key)}:`), record[key]));
      parts.push(new Literal('}'));
      for (let i = parts.length - 1; i >= 0; i -= 1) stack.push(parts[i]);
    } else {
      out.push(JSON.stringify(item) ?? 'null');
    }
  }
  return out.join('');
}

class Literal {
  constructor(readonly text: string) {}
}
