/**
 * JSON text with object members sorted by key at every level: equal JSON values give equal text.
 * Recursive (it runs on every projected document) down to a bounded depth; deeper subtrees are
 * walked with an explicit stack, so nesting depth cannot exhaust the call stack.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, 0);
}

/** How deep `canonical` recurses before it hands a subtree to the explicit-stack walker. */
const MAX_RECURSION = 64;

function canonical(value: unknown, depth: number): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_RECURSION) return canonicalDeep(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) text += `${i > 0 ? ',' : ''}${value[i] === undefined ? 'null' : canonical(value[i], depth + 1)}`;
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonical(member, depth + 1)}`;
  }
  return `${text}}`;
}

/** The same text as `canonical`, walking with an explicit stack (any depth). */
export function canonicalDeep(value: unknown): string {
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
