import { DomainError } from './errors.js';
import { escapePointer } from './forbiddenKeys.js';

/** Bounds a JSON text must keep while it is parsed. */
export interface StrictJsonLimits {
  /** Deepest nesting of objects and arrays; a root object or array is level 1. */
  readonly maxDepth: number;
  /** Most items in any one array. */
  readonly maxArrayLength: number;
}

/** Why a JSON text was refused: a syntax error, a refused (ambiguous or lossy) value, or a limit. */
export type JsonRejection = 'syntax' | 'refused' | 'limit';

const LEADS: Record<JsonRejection, string> = {
  syntax: 'The body is not valid JSON',
  refused: 'The body is JSON this api refuses',
  limit: 'The body exceeds a limit',
};

/** A refused JSON text: where (JSON Pointer and UTF-8 byte offset) and why, in words. */
export class JsonRejected extends DomainError {
  readonly pointer: string;
  readonly byteOffset: number;

  constructor(kind: JsonRejection, reason: string, pointer: string, byteOffset: number) {
    const where = `at ${pointer === '' ? 'the root' : pointer} (byte ${byteOffset})`;
    super(kind === 'limit' ? 'LIMIT_EXCEEDED' : 'INVALID_JSON', `${LEADS[kind]}: ${reason} ${where}.`, [{ pointer, message: `${reason} (byte ${byteOffset})` }]);
    this.pointer = pointer;
    this.byteOffset = byteOffset;
  }
}

type Container = Record<string, unknown> | unknown[];

/**
 * Parses RFC 8259 JSON without recursion, so no depth can overflow the stack, and more strictly
 * than `JSON.parse`: nesting past `maxDepth` or an array past `maxArrayLength` is refused while
 * scanning, as are duplicate member names, numbers outside the double range (`1e400`) and
 * non-zero numbers that underflow to 0 (`1e-400`). `-0` is read as 0. A member named
 * `__proto__` becomes an own data property, never a prototype. Otherwise the result equals
 * `JSON.parse(text)`. Errors are `JsonRejected` (codes INVALID_JSON and LIMIT_EXCEEDED).
 */
export function parseStrictJson(text: string, { maxDepth, maxArrayLength }: StrictJsonLimits): unknown {
  const n = text.length;
  // The open containers, and for each the member name being read (objects; null between members).
  const containers: Container[] = [];
  const names: (string | null)[] = [];
  let i = 0;

  const fail = (kind: JsonRejection, reason: string, at: number, extra?: string): never => {
    let pointer = '';
    for (let level = 0; level < containers.length; level += 1) {
      const container = containers[level]!;
      const name = names[level];
      if (Array.isArray(container)) pointer += `/${container.length}`;
      else if (name !== null && name !== undefined) pointer += `/${escapePointer(name)}`;
      else break;
    }
    if (extra !== undefined) pointer += `/${escapePointer(extra)}`;
    throw new JsonRejected(kind, reason, pointer, new TextEncoder().encode(text.slice(0, at)).length);
  };
  const unexpected = (at: number, expected: string): never =>
    at >= n ? fail('syntax', `the body ends where ${expected} was expected`, at) : fail('syntax', `unexpected ${describe(text, at)} where ${expected} was expected`, at);
  const skipSpace = () => {
    for (; i < n; i += 1) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
    }
  };

  const readString = (): string => {
    // i is at the opening quote.
    const start = i + 1;
    let j = start;
    for (; j < n; j += 1) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        i = j + 1;
        return text.slice(start, j);
      }
      if (c === 0x5c || c < 0x20) break;
    }
    let out = text.slice(start, j);
    for (; j < n; ) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        i = j + 1;
        return out;
      }
      if (c < 0x20) fail('syntax', `unescaped control character U+${c.toString(16).padStart(4, '0').toUpperCase()} inside a string`, j);
      if (c !== 0x5c) {
        let k = j + 1;
        while (k < n) {
          const d = text.charCodeAt(k);
          if (d === 0x22 || d === 0x5c || d < 0x20) break;
          k += 1;
        }
        out += text.slice(j, k);
        j = k;
        continue;
      }
      const e = text.charCodeAt(j + 1);
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const hex = text.slice(j + 2, j + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('syntax', 'a \\u escape needs four hexadecimal digits', j);
          out += String.fromCharCode(parseInt(hex, 16));
          j += 6;
          continue;
        }
        default:
          if (j + 1 >= n) unexpected(j + 1, 'an escaped character');
          fail('syntax', `invalid escape '\\${text[j + 1]}' inside a string`, j);
      }
      j += 2;
    }
    return fail('syntax', 'the body ends inside a string', n);
  };

  const readNumber = (): number => {
    const start = i;
    let j = i;
    let nonZeroDigit = false;
    if (text.charCodeAt(j) === 0x2d) j += 1;
    const first = text.charCodeAt(j);
    if (first === 0x30) {
      j += 1;
    } else if (first >= 0x31 && first <= 0x39) {
      nonZeroDigit = true;
      j += 1;
      while (j < n && isDigit(text.charCodeAt(j))) j += 1;
    } else {
      unexpected(j, 'a digit');
    }
    if (text.charCodeAt(j) === 0x2e) {
      j += 1;
      if (!isDigit(text.charCodeAt(j))) unexpected(j, 'a digit after the decimal point');
      while (j < n && isDigit(text.charCodeAt(j))) {
        if (text.charCodeAt(j) !== 0x30) nonZeroDigit = true;
        j += 1;
      }
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      j += 1;
      const sign = text.charCodeAt(j);
      if (sign === 0x2b || sign === 0x2d) j += 1;
      if (!isDigit(text.charCodeAt(j))) unexpected(j, 'a digit in the exponent');
      while (j < n && isDigit(text.charCodeAt(j))) j += 1;
    }
    i = j;
    const literal = text.slice(start, j);
    const value = Number(literal);
    if (!Number.isFinite(value)) fail('refused', `number ${shorten(literal)} is out of range`, start);
    if (value === 0) {
      if (nonZeroDigit) fail('refused', `number ${shorten(literal)} underflows to 0; send 0 if zero is meant`, start);
      return 0;
    }
    return value;
  };

  /** Reads a member name and its colon; i is at the name's opening quote. */
  const readName = (object: Record<string, unknown>, level: number): void => {
    const at = i;
    const name = readString();
    if (Object.hasOwn(object, name)) fail('refused', `duplicate member '${shorten(name)}'`, at, name);
    names[level] = name;
    skipSpace();
    if (text.charCodeAt(i) !== 0x3a) unexpected(i, `':' after member '${shorten(name)}'`);
    i += 1;
  };

  for (;;) {
    // Read one value at i; containers are opened here and finished below.
    skipSpace();
    let value: unknown;
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (containers.length >= maxDepth) fail('limit', `nesting deeper than ${maxDepth} levels`, i);
      i += 1;
      skipSpace();
      if (c === 0x7b) {
        const object: Record<string, unknown> = {};
        if (text.charCodeAt(i) === 0x7d) {
          i += 1;
          value = object;
        } else {
          containers.push(object);
          names.push(null);
          if (text.charCodeAt(i) !== 0x22) unexpected(i, "a member name in double quotes or '}'");
          readName(object, containers.length - 1);
          continue;
        }
      } else {
        const array: unknown[] = [];
        if (text.charCodeAt(i) === 0x5d) {
          i += 1;
          value = array;
        } else {
          containers.push(array);
          names.push(null);
          continue;
        }
      }
    } else if (c === 0x22) {
      value = readString();
    } else if (c === 0x2d || isDigit(c)) {
      value = readNumber();
    } else if (c === 0x74 && text.startsWith('true', i)) {
      value = true;
      i += 4;
    } else if (c === 0x66 && text.startsWith('false', i)) {
      value = false;
      i += 5;
    } else if (c === 0x6e && text.startsWith('null', i)) {
      value = null;
      i += 4;
    } else {
      unexpected(i, 'a JSON value');
    }

    // Put the value into its container; close every container that ends here.
    for (;;) {
      const level = containers.length - 1;
      if (level < 0) {
        skipSpace();
        if (i < n) fail('syntax', `unexpected ${describe(text, i)} after the end of the JSON value`, i);
        return value;
      }
      const container = containers[level]!;
      skipSpace();
      const next = text.charCodeAt(i);
      if (Array.isArray(container)) {
        container.push(value);
        if (next === 0x2c) {
          if (container.length >= maxArrayLength) fail('limit', `an array with more than ${maxArrayLength} items`, i);
          i += 1;
          break;
        }
        if (next !== 0x5d) unexpected(i, "',' or ']'");
      } else {
        const name = names[level]!;
        if (name === '__proto__') Object.defineProperty(container, name, { value, writable: true, enumerable: true, configurable: true });
        else container[name] = value;
        names[level] = null;
        if (next === 0x2c) {
          i += 1;
          skipSpace();
          if (text.charCodeAt(i) !== 0x22) unexpected(i, 'a member name in double quotes');
          readName(container, level);
          break;
        }
        if (next !== 0x7d) unexpected(i, "',' or '}'");
      }
      i += 1;
      value = container;
      containers.pop();
      names.pop();
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function shorten(literal: string): string {
  return literal.length > 40 ? `${literal.slice(0, 37)}...` : literal;
}

function describe(text: string, at: number): string {
  const c = text.charCodeAt(at);
  return c < 0x20 || c === 0x7f ? `character U+${c.toString(16).padStart(4, '0').toUpperCase()}` : `'${String.fromCodePoint(text.codePointAt(at)!)}'`;
}
