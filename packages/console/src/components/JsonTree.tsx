import { Badge, Text } from '@mantine/core';
import classes from './JsonTree.module.css';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function labelOf(value: Json, fallback: string): { title: string; id: string | null } {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const type = typeof value['objectType'] === 'string' ? value['objectType'] : fallback;
    const id = typeof value['objectId'] === 'string' ? value['objectId'] : null;
    return { title: type, id };
  }
  return { title: fallback, id: null };
}

function Scalar({ value }: { value: Json }) {
  if (typeof value === 'string') return <span className={classes.string}>{value}</span>;
  if (typeof value === 'number') return <span className={classes.number}>{value}</span>;
  return <span className={classes.literal}>{String(value)}</span>;
}

/** True when `pointer` or something below it changed. */
const touched = (changed: ReadonlySet<string>, pointer: string): boolean => {
  for (const path of changed) if (path === pointer || path.startsWith(`${pointer}/`)) return true;
  return false;
};

function Node({ name, value, pointer, changed, depth }: { name: string; value: Json; pointer: string; changed: ReadonlySet<string>; depth: number }) {
  const mark = touched(changed, pointer) ? classes.changed : undefined;
  if (value === null || typeof value !== 'object') {
    return (
      <div className={`${classes.row} ${mark ?? ''}`} data-pointer={pointer}>
        <span className={classes.key}>{name}</span>
        <Scalar value={value} />
      </div>
    );
  }
  const entries: Array<[string, Json]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const { title, id } = labelOf(value, name);
  const scalars = entries.filter(([, child]) => child === null || typeof child !== 'object');
  const nested = entries.filter(([, child]) => child !== null && typeof child === 'object');
  return (
    <details open={depth < 6} className={`${classes.node} ${mark ?? ''}`} data-pointer={pointer}>
      <summary className={classes.summary}>
        <span className={classes.key}>{Array.isArray(value) ? `${name} (${entries.length})` : title}</span>
        {id ? <Badge variant="light" size="sm" className={classes.id}>{id}</Badge> : null}
        {!Array.isArray(value) && title !== name ? <Text span size="xs" c="dimmed">{name}</Text> : null}
      </summary>
      <div className={classes.children}>
        {scalars
          .filter(([key]) => key !== 'objectType' && key !== 'objectId')
          .map(([key, child]) => (
            <Node key={key} name={key} value={child} pointer={`${pointer}/${escapePointer(key)}`} changed={changed} depth={depth + 1} />
          ))}
        {nested.map(([key, child]) => (
          <Node key={key} name={Array.isArray(value) ? `#${Number(key) + 1}` : key} value={child} pointer={`${pointer}/${escapePointer(key)}`} changed={changed} depth={depth + 1} />
        ))}
      </div>
    </details>
  );
}

/**
 * A plan document as a tree of its nested objects: each object titled by its objectType with its
 * objectId, its plain members as rows, its nested objects and arrays as sections that open and
 * close (native <details>, so keyboard and screen readers work). Paths in `changed` (JSON
 * Pointers) are highlighted with everything above them.
 */
export function JsonTree({ document, changed = new Set(), label }: { document: unknown; changed?: ReadonlySet<string>; label: string }) {
  return (
    <div className={classes.tree} role="group" aria-label={label} data-testid="json-tree">
      <Node name="plan" value={document as Json} pointer="" changed={changed} depth={0} />
    </div>
  );
}
