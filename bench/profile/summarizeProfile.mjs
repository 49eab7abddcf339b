// Self and inclusive time per function of a .cpuprofile, as shares of the busy (non-idle) time:
//   node bench/profile/summarizeProfile.mjs FILE [self rows, default 30] [inclusive rows, default 40]
import { readFileSync } from 'node:fs';

const [file, selfRows = '30', inclusiveRows = '40'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id])));
const nameOf = ({ callFrame: { functionName, url, lineNumber } }) => `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '')}:${lineNumber}`;

/** Microseconds sampled in each node (its self time). */
const sampled = new Map();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const self = new Map();
const inclusive = new Map();
const add = (map, name, us) => map.set(name, (map.get(name) ?? 0) + us);
for (const [id, us] of sampled) {
  add(self, nameOf(nodes.get(id)), us);
  // Each function once per stack, however often it recurses.
  const onStack = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) onStack.add(nameOf(nodes.get(at)));
  for (const name of onStack) add(inclusive, name, us);
}

const total = [...sampled.values()].reduce((a, b) => a + b, 0);
const idle = [...self].filter(([name]) => name.startsWith('(idle)')).reduce((sum, [, us]) => sum + us, 0);
const busy = total - idle;
const top = (map, rows) =>
  [...map]
    .filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(rows))
    .map(([name, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
console.log(`sampled ${(total / 1e3).toFixed(0)} ms: idle ${(idle / 1e3).toFixed(0)} ms, busy ${(busy / 1e3).toFixed(0)} ms`);
console.log(`--- self\n${top(self, selfRows)}`);
console.log(`--- inclusive\n${top(inclusive, inclusiveRows)}`);
