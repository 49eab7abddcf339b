import { Alert, Anchor, Badge, Group, List, Paper, SegmentedControl, Select, SimpleGrid, Slider, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useApi } from '../api/useApi';
import type { DiffAnswer, HistoryEvent, HistoryPage as History, PlanDocument } from '../api/types';
import { BarChart, type Point } from '../components/Charts';
import { JsonTree } from '../components/JsonTree';
import { SideBySide } from '../components/SideBySide';
import { EmptyState, ErrorState, LoadingState } from '../components/StateViews';
import { formatActor, formatTime } from '../format';
import { Link, planPath } from '../router';

const TYPE_COLOR: Record<HistoryEvent['type'], string> = { created: 'green', patched: 'blue', replaced: 'violet', deleted: 'red' };

/** The lines that say what an event changed: the api's `changes`, or (older apis) its patch operations. */
export const changeLines = (event: HistoryEvent): string[] =>
  event.changes ?? (event.type === 'deleted' ? ['deleted the plan'] : event.patch.map((op) => (op.path === '' ? `${op.op === 'add' ? 'created' : 'replaced'} the whole plan` : `${op.op} ${op.path}${op.from ? ` from ${op.from}` : ''}`)));

/** Events per UTC day, every day from the first to the last event. */
function eventsPerDay(events: readonly HistoryEvent[]): Point[] {
  if (events.length === 0) return [];
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.at.slice(0, 10), (counts.get(event.at.slice(0, 10)) ?? 0) + 1);
  const first = new Date(`${events[0]?.at.slice(0, 10)}T00:00:00Z`).getTime();
  const last = new Date(`${events.at(-1)?.at.slice(0, 10)}T00:00:00Z`).getTime();
  const points: Point[] = [];
  for (let day = first; day <= last && points.length < 366; day += 86_400_000) {
    const key = new Date(day).toISOString().slice(0, 10);
    points.push({ label: key.slice(5), value: counts.get(key) ?? 0 });
  }
  return points;
}

/** A plan's story: its events, the plan as of any version or time, a diff of any two versions, and how it ended. */
export function HistoryPage({ planId }: { planId: string; search: string }) {
  const base = `/v1/plans/${encodeURIComponent(planId)}`;
  const { answer, error, loading, reload } = useApi<History>(`${base}/history?limit=1000`);
  const events = answer?.body.events ?? [];
  const latest = answer?.body.latest ?? 0;
  const last = events.at(-1);
  const deleted = last?.type === 'deleted' ? last : undefined;

  return (
    <Stack gap="lg">
      <Stack gap={0}>
        <Text size="sm" c="dimmed">
          <Anchor component={Link} to="/console/plans">Plans</Anchor> / <Anchor component={Link} to={planPath(planId)} className="mono">{planId}</Anchor> / history
        </Text>
        <Title order={1} size="h2">History</Title>
      </Stack>
      {error ? <ErrorState error={error} onRetry={reload} what={`the history of ${planId}`} /> : null}
      {!answer && loading ? <LoadingState label="Loading the history…" /> : null}
      {answer && events.length === 0 ? <EmptyState title="No events">This plan has no history.</EmptyState> : null}
      {deleted ? <DeletedNotice event={deleted} base={base} /> : null}
      {events.length > 0 ? (
        <>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">Events per day</Title>
            <BarChart points={eventsPerDay(events)} title={`${events.length} events, ${events[0]?.at.slice(0, 10)} to ${last?.at.slice(0, 10)} (UTC)`} unit="events" />
          </Paper>
          <AsOf base={base} events={events} latest={latest} />
          <Compare base={base} latest={latest} deleted={new Set(events.filter((event) => event.type === 'deleted').map((event) => event.version))} />
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="md">Timeline</Title>
            {answer?.body.next ? <Text size="sm" c="dimmed" mb="sm">Showing the first 1000 events.</Text> : null}
            <Timeline bulletSize={22} lineWidth={2} active={events.length} data-testid="timeline">
              {[...events].reverse().map((event) => (
                <Timeline.Item key={event.version} color={TYPE_COLOR[event.type]} bullet={<Text size="10px" fw={700} c="white">{event.version}</Text>} title={<Group gap="xs"><Badge color={TYPE_COLOR[event.type]} variant="light">{event.type}</Badge><Text size="sm" fw={600}>version {event.version}</Text></Group>}>
                  <Text size="sm" c="dimmed">{formatTime(event.at)} · {formatActor(event.actor)}</Text>
                  {event.reason ? <Text size="sm" fs="italic" data-testid="reason">“{event.reason}”</Text> : null}
                  <List size="sm" spacing={2} mt={4} className="mono" styles={{ itemWrapper: { overflowWrap: 'anywhere' } }}>
                    {changeLines(event).slice(0, 20).map((line, index) => <List.Item key={index}>{line}</List.Item>)}
                  </List>
                  {changeLines(event).length > 20 ? <Text size="xs" c="dimmed">and {changeLines(event).length - 20} more</Text> : null}
                </Timeline.Item>
              ))}
            </Timeline>
          </Paper>
        </>
      ) : null}
    </Stack>
  );
}

function DeletedNotice({ event, base }: { event: HistoryEvent; base: string }) {
  // The contract's `deleted` member holds the plan as it was; without it, read the version before.
  const before = useApi<PlanDocument>(event.deleted === undefined && event.version > 1 ? `${base}?version=${event.version - 1}` : null);
  const document = event.deleted ?? before.answer?.body;
  return (
    <Alert color="red" variant="light" title={`Deleted at version ${event.version}`} data-testid="deleted-notice">
      <Stack gap="xs">
        <Text size="sm">{formatTime(event.at)} by {formatActor(event.actor)}{event.reason ? ` — “${event.reason}”` : ''}</Text>
        {document ? (
          <details>
            <summary>The plan as it was when it was deleted</summary>
            <Paper p="sm" mt="xs" withBorder>
              <JsonTree document={document} label="The plan before it was deleted" />
            </Paper>
          </details>
        ) : null}
      </Stack>
    </Alert>
  );
}

function AsOf({ base, events, latest }: { base: string; events: readonly HistoryEvent[]; latest: number }) {
  const [mode, setMode] = useState<'version' | 'time'>('version');
  const [version, setVersion] = useState(latest);
  const [time, setTime] = useState(() => (events.at(-1)?.at ?? new Date().toISOString()).slice(0, 19));
  const asOf = `${time.length === 16 ? `${time}:00` : time}Z`;
  const event = events.find((candidate) => candidate.version === version);
  const gone = mode === 'version' && event?.type === 'deleted';
  const path = mode === 'version' ? `${base}?version=${version}` : `${base}?asOf=${encodeURIComponent(asOf)}`;
  const { answer, error, loading } = useApi<PlanDocument>(latest > 0 && !gone ? path : null);
  const marks = useMemo(() => (latest <= 12 ? events.map((item) => ({ value: item.version, label: `v${item.version}` })) : [{ value: 1, label: 'v1' }, { value: latest, label: `v${latest}` }]), [events, latest]);
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4">The plan as of…</Title>
        <SegmentedControl size="xs" value={mode} onChange={(value) => setMode(value as 'version' | 'time')} data={[{ value: 'version', label: 'a version' }, { value: 'time', label: 'a time' }]} />
      </Group>
      <div style={{ minHeight: 72, paddingTop: 28 }}>
        {mode === 'version' ? (
          <Stack gap={4}>
            <Slider min={1} max={Math.max(latest, 1)} step={1} value={version} onChange={setVersion} marks={marks} label={(value) => `version ${value}`} thumbLabel="Version" data-testid="version-slider" mb="lg" />
            {event ? <Text size="sm" c="dimmed">Version {version}: {event.type} {formatTime(event.at)} by {formatActor(event.actor)}</Text> : null}
          </Stack>
        ) : (
          <TextInput type="datetime-local" step={1} label="Time (UTC)" value={time} onChange={(change) => setTime(change.currentTarget.value)} maw={280} data-testid="as-of-time" />
        )}
      </div>
      <div style={{ minHeight: 120 }} aria-busy={loading} data-testid="as-of">
        {gone ? <Text size="sm" c="dimmed">At version {version} the plan was deleted: there is no document to show.</Text> : null}
        {!gone && error ? <ErrorState error={error} what={mode === 'version' ? `version ${version}` : `the plan at ${asOf}`} /> : null}
        {!gone && !error && answer ? <JsonTree document={answer.body} label={`The plan as of ${mode === 'version' ? `version ${version}` : asOf}`} /> : null}
        {!gone && !error && !answer && loading ? <LoadingState /> : null}
      </div>
    </Paper>
  );
}

function Compare({ base, latest, deleted }: { base: string; latest: number; deleted: ReadonlySet<number> }) {
  const [from, setFrom] = useState(String(Math.max(latest - 1, 0)));
  const [to, setTo] = useState(String(latest));
  const versions = Array.from({ length: latest + 1 }, (_, index) => ({ value: String(index), label: index === 0 ? '0 (before it existed)' : `version ${index}` }));
  const diff = useApi<DiffAnswer>(`${base}/diff?from=${from}&to=${to}`);
  // Version 0 (before it existed) and a delete's version have no document.
  const empty = (version: string) => version === '0' || deleted.has(Number(version));
  const title = (version: string) => (version === '0' ? 'before it existed' : deleted.has(Number(version)) ? `version ${version} (deleted)` : `version ${version}`);
  const before = useApi<PlanDocument>(empty(from) ? null : `${base}?version=${from}`);
  const after = useApi<PlanDocument>(empty(to) ? null : `${base}?version=${to}`);
  const ready = (empty(from) || before.answer) && (empty(to) || after.answer);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">Compare two versions</Title>
      <SimpleGrid cols={{ base: 1, xs: 2 }} maw={520} mb="md">
        <Select label="From" data={versions} value={from} onChange={(value) => setFrom(value ?? '0')} allowDeselect={false} data-testid="diff-from" />
        <Select label="To" data={versions} value={to} onChange={(value) => setTo(value ?? String(latest))} allowDeselect={false} data-testid="diff-to" />
      </SimpleGrid>
      {diff.error ? <ErrorState error={diff.error} what="this comparison" /> : null}
      <div style={{ minHeight: 48 }} aria-busy={diff.loading}>
        {diff.answer ? (
          diff.answer.body.changes.length === 0 ? (
            <Text size="sm" c="dimmed">No differences.</Text>
          ) : (
            <List size="sm" spacing={2} className="mono" data-testid="diff-lines">
              {diff.answer.body.changes.map((line, index) => <List.Item key={index}>{line}</List.Item>)}
            </List>
          )
        ) : null}
      </div>
      {before.error ?? after.error ? <ErrorState error={(before.error ?? after.error)!} what="one of these versions" /> : null}
      {ready && !before.error && !after.error ? (
        <Stack mt="md">
          <SideBySide before={empty(from) ? null : before.answer?.body} after={empty(to) ? null : after.answer?.body} leftTitle={title(from)} rightTitle={title(to)} />
        </Stack>
      ) : null}
    </Paper>
  );
}
