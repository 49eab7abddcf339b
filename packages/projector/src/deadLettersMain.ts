#!/usr/bin/env node
import { hostname, userInfo } from 'node:os';
import { PROJECTION_NAMES } from './projections/index.js';
import { parseCliArgs, usageError } from './cli/parseCliArgs.js';
import { runAdminCommand } from './cli/runAdminCommand.js';

const USAGE = `usage: npm run dead-letters -- list [--projection ${PROJECTION_NAMES.join('|')}] [--limit 1..500] [--cursor <next>]
       npm run dead-letters -- show <id>
       npm run dead-letters -- retry <id>
       npm run dead-letters -- retry --all [--projection ${PROJECTION_NAMES.join('|')}]
       npm run dead-letters -- discard <id> --reason "<why>"
Lists, inspects, retries (hands the event back to its partition queue) or discards (with a
reason, recorded with who did it) the events the projector set aside.`;

const { values, positionals } = parseCliArgs(
  USAGE,
  { projection: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, all: { type: 'boolean' }, reason: { type: 'string' } },
  { positionals: true },
);
const [command, id, ...extra] = positionals;
const only = (allowed: string[]) => {
  const given = Object.keys(values).filter((name) => values[name] !== undefined && !allowed.includes(name));
  if (given.length > 0) usageError(USAGE, `${command}: --${given[0]} does not apply here`);
};
if (extra.length > 0) usageError(USAGE, `unexpected argument '${extra[0]}'`);
if (values.projection !== undefined && !PROJECTION_NAMES.includes(String(values.projection))) usageError(USAGE, `--projection: no projection named '${String(values.projection)}'`);
const projection = values.projection === undefined ? undefined : String(values.projection);
let limit = 50;
switch (command) {
  case 'list':
    only(['projection', 'limit', 'cursor']);
    if (id !== undefined) usageError(USAGE, `list takes no id (got '${id}')`);
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!/^\d+$/.test(String(values.limit)) || limit < 1 || limit > 500) usageError(USAGE, `--limit: '${String(values.limit)}' is not a whole number from 1 to 500`);
    }
    break;
  case 'show':
    only([]);
    if (id === undefined) usageError(USAGE, 'show needs the id of a dead letter');
    break;
  case 'retry':
    only(['all', 'projection']);
    if (values.all && id !== undefined) usageError(USAGE, 'retry takes an id or --all, not both');
    if (!values.all && id === undefined) usageError(USAGE, 'retry needs the id of a dead letter, or --all');
    if (!values.all && projection !== undefined) usageError(USAGE, 'retry: --projection applies only with --all');
    break;
  case 'discard':
    only(['reason']);
    if (id === undefined) usageError(USAGE, 'discard needs the id of a dead letter');
    if (typeof values.reason !== 'string' || values.reason.trim() === '') usageError(USAGE, 'discard needs --reason "<why>"');
    break;
  default:
    usageError(USAGE, command === undefined ? 'give a command: list, show, retry or discard' : `unknown command '${command}'`);
}
const by = `cli:${userInfo().username}@${hostname()}`;

await runAdminCommand('dead-letters', async ({ admin }) => {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (command === 'list') {
    const page = await admin.listDeadLetters({ ...(projection ? { projection } : {}), limit, ...(values.cursor ? { cursor: String(values.cursor) } : {}) });
    if (page.deadLetters.length === 0) out('no dead letters');
    for (const letter of page.deadLetters) {
      const plan = letter.planId === null ? '(not an event)' : `${letter.org}/${letter.planId}@${letter.version}`;
      out(`${letter.id}  ${letter.status}  ${letter.deadLetteredAt}  ${plan}  deliveries ${letter.deliveryCount}  ${letter.error}`);
    }
    if (page.next) out(`more: npm run dead-letters -- list --cursor ${page.next}${projection ? ` --projection ${projection}` : ''}`);
  } else if (command === 'show') {
    const { body, ...letter } = await admin.deadLetter(id!);
    let event: unknown = null;
    try {
      event = JSON.parse(body);
    } catch {
      event = body;
    }
    out(JSON.stringify({ ...letter, event }, null, 2));
  } else if (command === 'retry' && values.all) {
    out(`retried ${await admin.retryAll(projection, by)} dead letters`);
  } else if (command === 'retry') {
    const letter = await admin.retry(id!, by);
    out(`${letter.id}: ${letter.status}`);
  } else {
    const letter = await admin.discard(id!, String(values.reason).trim(), by);
    out(`${letter.id}: ${letter.status} (${letter.discardReason ?? ''}) by ${letter.discardedBy ?? ''}`);
  }
});
