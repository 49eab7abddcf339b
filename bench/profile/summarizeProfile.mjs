// Self and inclusive shares per function of a profile from cpuProfilePreload.mjs:
//   node bench/profile/summarizeProfile.mjs FILE [self rows, default 30] [inclusive rows, default 40] [operations]
// A .cpuprofile gives shares of the busy (non-idle) time; a .heapprofile shares of the bytes
// allocated while sampling, and with `operations` (the requests the run made) the bytes per operation.
import { readFileSync } from 'node:fs';

const [file, selfRows = '30', inclusiveRows = '40', operations] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nameOf = ({ callFrame: { functionName, url, lineNumber } }) => `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '')}:${lineNumber}`;

/** Every node with its parent, and what was sampled in each node (its self cost): µs of CPU, or bytes allocated. */
const heap = 'head' in profile;
const nodes = new Map();
const parents = new Map();
if (heap) {
  const visit = (node) => {
    nodes.set(node.id, node);
    for (const child of node.children ?? []) {
      parents.set(child.id, node.id);
      visit(child);
    }
  };
  visit(profile.head);
} else {
  for (const node of profile.nodes) nodes.set(node.id, node);
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
}
const sampled = new Map();
const add = (map, key, amount) => map.set(key, (map.get(key) ?? 0) + amount);
if (heap) for (const { nodeId, size } of profile.samples) add(sampled, nodeId, size);
else profile.samples.forEach((id, i) => add(sampled, id, profile.timeDeltas[i] ?? 0));

const self = new Map();
const inclusive = new Map();
for (const [id, amount] of sampled) {
  add(self, nameOf(nodes.get(id)), amount);
  // Each function once per stack, however often it recurses.
  const onStack = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) onStack.add(nameOf(nodes.get(at)));
  for (const name of onStack) add(inclusive, name, amount);
}

const total = [...sampled.values()].reduce((a, b) => a + b, 0);
const idle = [...self].filter(([name]) => name.startsWith('(idle)')).reduce((sum, [, us]) => sum + us, 0);
const busy = total - idle;
const top = (map, rows) =>
  [...map]
    .filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(rows))
    .map(([name, amount]) => `${((100 * amount) / busy).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
if (heap) console.log(`sampled ${(total / 2 ** 20).toFixed(0)} MiB allocated${operations ? `: ${(total / 1024 / Number(operations)).toFixed(1)} KiB per operation over ${operations}` : ''}`);
else console.log(`sampled ${(total / 1e3).toFixed(0)} ms: idle ${(idle / 1e3).toFixed(0)} ms, busy ${(busy / 1e3).toFixed(0)} ms`);
console.log(`--- self\n${top(self, selfRows)}`);
console.log(`--- inclusive\n${top(inclusive, inclusiveRows)}`);
