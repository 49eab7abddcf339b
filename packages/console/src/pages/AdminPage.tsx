import { Badge, Button, Group, Modal, Paper, Progress, SimpleGrid, Stack, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { useRef, useState } from 'react';
import { ApiError, send } from '../api/apiClient';
import { useApi, useInterval } from '../api/useApi';
import type { DeadLetter, Job, ProjectionStatus, VerifyResult } from '../api/types';
import { LineChart, type Series } from '../components/Charts';
import { EmptyState, ErrorState, LoadingState } from '../components/StateViews';
import { formatNumber, formatSeconds, formatTime } from '../format';

const WINDOW_MS = 5 * 60_000;
const COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00'];

/** Projection status refreshed live with a lag chart, jobs (rebuild, verify, repair) with progress, and dead letters. */
export function AdminPage() {
  const status = useApi<{ projections: ProjectionStatus[] }>('/v1/admin/projections');
  const samples = useRef(new Map<string, Array<[number, number]>>());
  const [now, setNow] = useState(Date.now());
  useInterval(() => {
    status.reload();
    setNow(Date.now());
  }, 2000);
  const projections = status.answer?.body.projections ?? [];
  const sampledAt = useRef<unknown>(null);
  if (status.answer && sampledAt.current !== status.answer) {
    sampledAt.current = status.answer;
    const at = Date.now();
    for (const projection of projections) {
      const points = samples.current.get(projection.name) ?? [];
      points.push([at, projection.lag]);
      samples.current.set(projection.name, points.filter(([time]) => time >= at - WINDOW_MS));
    }
  }
  const series: Series[] = projections.map((projection, index) => ({ name: projection.name, color: COLORS[index % COLORS.length] ?? '#1c7ed6', points: samples.current.get(projection.name) ?? [] }));

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">Admin</Title>
        <Text size="xs" c="dimmed" aria-live="off">Refreshed every 2 s{status.answer ? `, last at ${formatTime(new Date(now).toISOString())}` : ''}</Text>
      </Group>
      {status.error ? <ErrorState error={status.error} onRetry={status.reload} what="projection status" /> : null}
      {!status.answer && status.loading ? <LoadingState label="Loading projections…" /> : null}
      {projections.length > 0 ? (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">Lag over the last minutes</Title>
          <LineChart series={series} title="Events behind the log, per projection" windowMs={WINDOW_MS} now={now} />
        </Paper>
      ) : null}
      {status.answer && projections.length === 0 ? <EmptyState title="No projections" /> : null}
      {projections.map((projection) => <ProjectionCard key={projection.name} projection={projection} onChange={status.reload} />)}
      <DeadLetters />
    </Stack>
  );
}

function ProjectionCard({ projection, onChange }: { projection: ProjectionStatus; onChange: () => void }) {
  const [watching, setWatching] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const jobs = useApi<{ jobs: Job[] }>(`/v1/admin/jobs?projection=${encodeURIComponent(projection.name)}`);
  const running = projection.job !== null && projection.job.state === 'running';
  const lastVerify = jobs.answer?.body.jobs.find((job) => job.kind === 'verify' && job.state === 'succeeded');
  const start = (kind: 'rebuilds' | 'verifications' | 'repairs') => {
    setFailure(null);
    const body = kind === 'repairs' && lastVerify ? { verification: lastVerify.id } : undefined;
    send<Job>('POST', `/v1/admin/projections/${encodeURIComponent(projection.name)}/${kind}`, body).then(
      (job) => {
        setWatching(job.href ?? `/v1/admin/jobs/${job.id}`);
        onChange();
        jobs.reload();
      },
      (error: unknown) => setFailure(error as ApiError),
    );
  };
  const jobHref = watching ?? projection.job?.href ?? null;
  const maxLag = Math.max(1, ...projection.partitions.map((partition) => partition.lag));
  return (
    <Paper withBorder p="md" data-testid={`projection-${projection.name}`}>
      <Group justify="space-between" wrap="wrap" mb="sm">
        <Group gap="xs">
          <Title order={2} size="h4">{projection.name}</Title>
          <Badge variant="light" className="mono" style={{ textTransform: 'none' }}>{projection.target}</Badge>
          <Badge color={projection.lag === 0 ? 'green' : 'orange'}>lag {formatNumber(projection.lag)}</Badge>
          {projection.deadLetters > 0 ? <Badge color="red">{projection.deadLetters} dead letters</Badge> : null}
        </Group>
        <Group gap="xs">
          <Button size="xs" onClick={() => start('rebuilds')} disabled={running}>Rebuild</Button>
          <Button size="xs" variant="light" onClick={() => start('verifications')} disabled={running}>Verify</Button>
          <Tooltip label={lastVerify ? `repairs what verification ${lastVerify.id} found` : 'verifies first, then repairs'}>
            <Button size="xs" variant="light" color="orange" onClick={() => start('repairs')} disabled={running}>Repair</Button>
          </Tooltip>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">{formatNumber(projection.eventsApplied)} events applied</Text>
      {failure ? <ErrorState error={failure} what="starting that job" /> : null}
      {jobHref ? <JobPanel href={jobHref} onDone={() => { onChange(); jobs.reload(); }} /> : null}
      <details>
        <summary>Lag per partition ({projection.partitions.length})</summary>
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing={2} fz="xs" data-testid="partitions">
            <Table.Thead><Table.Tr><Table.Th>Partition</Table.Th><Table.Th>Checkpoint</Table.Th><Table.Th>Head</Table.Th><Table.Th>Lag</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {projection.partitions.map((partition) => (
                <Table.Tr key={String(partition.partition)}>
                  <Table.Td>{partition.partition}</Table.Td>
                  <Table.Td className="mono">{partition.checkpoint ?? '—'}</Table.Td>
                  <Table.Td className="mono">{partition.head ?? '—'}</Table.Td>
                  <Table.Td w="40%">
                    <Group gap="xs" wrap="nowrap"><Progress value={(partition.lag / maxLag) * 100} w={120} color={partition.lag === 0 ? 'green' : 'orange'} aria-hidden /><Text size="xs">{partition.lag}</Text></Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </details>
      {jobs.answer && jobs.answer.body.jobs.length > 0 ? (
        <details>
          <summary>Recent jobs</summary>
          <Stack gap={2} mt={4}>
            {jobs.answer.body.jobs.slice(0, 8).map((job) => (
              <Text key={job.id} size="xs"><Badge size="xs" variant="light">{job.kind}</Badge> {job.state} · started {formatTime(job.startedAt)} · {formatNumber(job.eventsDone)}/{formatNumber(job.eventsTotal)} events</Text>
            ))}
          </Stack>
        </details>
      ) : null}
    </Paper>
  );
}

/** One job, watched until it ends: progress with total, rate and ETA; cancel while it runs; the result when done. */
function JobPanel({ href, onDone }: { href: string; onDone: () => void }) {
  const job = useApi<Job>(href);
  const [cancelError, setCancelError] = useState<ApiError | null>(null);
  const state = job.answer?.body.state;
  const ended = useRef(false);
  useInterval(() => {
    if (state === 'running' || state === undefined) job.reload();
  }, 1000);
  if (state !== undefined && state !== 'running' && !ended.current) {
    ended.current = true;
    setTimeout(onDone, 0);
  }
  if (job.error) return <ErrorState error={job.error} what="this job" />;
  if (!job.answer) return <LoadingState height={80} />;
  const current = job.answer.body;
  const percent = current.eventsTotal > 0 ? Math.min(100, (current.eventsDone / current.eventsTotal) * 100) : current.state === 'running' ? 0 : 100;
  const color = { running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'gray', interrupted: 'orange' }[current.state];
  return (
    <Paper withBorder p="sm" mb="sm" bg="gray.0" data-testid="job" data-state={current.state}>
      <Group justify="space-between" mb={6} wrap="wrap">
        <Group gap="xs">
          <Badge color={color}>{current.kind} · {current.state}</Badge>
          <Text size="sm">{current.phase}</Text>
        </Group>
        {current.state === 'running' ? (
          <Button size="xs" color="red" variant="light" onClick={() => send('DELETE', current.href ?? href).then(() => job.reload(), (error: unknown) => setCancelError(error as ApiError))}>Cancel</Button>
        ) : null}
      </Group>
      <Progress value={percent} animated={current.state === 'running'} color={color} aria-label={`${current.kind} progress`} />
      <SimpleGrid cols={{ base: 2, sm: 4 }} mt={6}>
        <Text size="xs">{formatNumber(current.eventsDone)} of {formatNumber(current.eventsTotal)} events</Text>
        <Text size="xs">{formatNumber(Math.round(current.eventsPerSecond))} events/s</Text>
        <Text size="xs">ETA {current.state === 'running' ? formatSeconds(current.etaSeconds) : '—'}</Text>
        <Text size="xs">started {formatTime(current.startedAt)}</Text>
      </SimpleGrid>
      {cancelError ? <ErrorState error={cancelError} what="cancelling" /> : null}
      {current.error ? <Text size="sm" c="red" mt={4}>{current.error}</Text> : null}
      {current.result ? <JobResult job={current} /> : null}
    </Paper>
  );
}

/** A rebuild's steps, in order, as its result's `phases` names them (seconds each). */
const REBUILD_PHASES = [['create', 'create'], ['replay', 'replay'], ['switch', 'switch'], ['catchUp', 'catch-up'], ['drop', 'drop']] as const;
/** Rebuilds of earlier releases have no phases. */
const isPhases = (value: unknown): value is Record<string, number> => typeof value === 'object' && value !== null;

function JobResult({ job }: { job: Job }) {
  const result = job.result ?? {};
  const verification = (job.kind === 'verify' ? result : result['verification']) as VerifyResult | undefined;
  const phases = result['phases'];
  return (
    <Stack gap={4} mt="xs">
      {job.kind === 'rebuild' ? <Text size="sm">Rebuilt {String(result['target'])}: {formatNumber(Number(result['events'] ?? 0))} events in {formatSeconds(Number(result['seconds'] ?? 0))}{result['replaced'] ? `, replacing ${String(result['replaced'])}` : ''}.</Text> : null}
      {job.kind === 'rebuild' && isPhases(phases) ? (
        <Text size="xs" c="dimmed" data-testid="rebuild-phases">
          Steps: {REBUILD_PHASES.map(([phase, label]) => `${label} ${phases[phase]?.toFixed(2) ?? '—'} s`).join(' · ')}
        </Text>
      ) : null}
      {job.kind === 'repair' ? <Text size="sm">Repaired {formatNumber(Number(result['repaired'] ?? 0))} plans; verified again:</Text> : null}
      {verification?.counts ? (
        <>
          <Text size="sm" data-testid="verify-counts">
            {formatNumber(verification.plans)} plans checked: {verification.counts.missing} missing, {verification.counts.extra} extra, {verification.counts.staleVersion} stale, {verification.counts.differentContent} different.
          </Text>
          {verification.mismatches.length > 0 ? (
            <Table.ScrollContainer minWidth={520}>
              <Table fz="xs" verticalSpacing={2}>
                <Table.Thead><Table.Tr><Table.Th>Org</Table.Th><Table.Th>Plan</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Expected</Table.Th><Table.Th>Actual</Table.Th><Table.Th>Detail</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {verification.mismatches.map((mismatch) => (
                    <Table.Tr key={`${mismatch.org}/${mismatch.planId}/${mismatch.kind}`}>
                      <Table.Td>{mismatch.org}</Table.Td><Table.Td className="mono">{mismatch.planId}</Table.Td><Table.Td>{mismatch.kind}</Table.Td>
                      <Table.Td>{mismatch.expectedVersion ?? '—'}</Table.Td><Table.Td>{mismatch.actualVersion ?? '—'}</Table.Td><Table.Td>{mismatch.detail}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

function DeadLetters() {
  const letters = useApi<{ deadLetters: DeadLetter[]; next: string | null }>('/v1/admin/dead-letters?limit=100');
  const [discarding, setDiscarding] = useState<DeadLetter | null>(null);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<ApiError | null>(null);
  const act = (task: Promise<unknown>) => {
    setFailure(null);
    task.then(() => letters.reload(), (error: unknown) => setFailure(error as ApiError));
  };
  const waiting = letters.answer?.body.deadLetters.filter((letter) => letter.status === 'waiting') ?? [];
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">Dead letters</Title>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={letters.reload} loading={letters.loading}>Refresh</Button>
          <Button size="xs" onClick={() => act(send('POST', '/v1/admin/dead-letters/retry', {}))} disabled={waiting.length === 0}>Retry all waiting</Button>
        </Group>
      </Group>
      {failure ? <ErrorState error={failure} what="that" /> : null}
      {letters.error ? <ErrorState error={letters.error} onRetry={letters.reload} what="dead letters" /> : null}
      {!letters.answer && letters.loading ? <LoadingState height={80} /> : null}
      {letters.answer && letters.answer.body.deadLetters.length === 0 ? <EmptyState title="No dead letters">Every event reached its projections.</EmptyState> : null}
      {letters.answer && letters.answer.body.deadLetters.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table fz="sm" verticalSpacing={4} data-testid="dead-letters">
            <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>Projection</Table.Th><Table.Th>Plan</Table.Th><Table.Th>Error</Table.Th><Table.Th>Status</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {letters.answer.body.deadLetters.map((letter) => (
                <Table.Tr key={letter.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(letter.deadLetteredAt)}</Table.Td>
                  <Table.Td>{letter.projection} #{letter.partition}</Table.Td>
                  <Table.Td className="mono">{letter.org}/{letter.planId} v{letter.version}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{letter.error} <Text span size="xs" c="dimmed">({letter.deliveryCount} deliveries)</Text></Table.Td>
                  <Table.Td>{letter.status}{letter.discardReason ? `: ${letter.discardReason}` : ''}</Table.Td>
                  <Table.Td>
                    {letter.status === 'waiting' ? (
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" onClick={() => act(send('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/retry`))}>Retry</Button>
                        <Button size="compact-xs" color="red" variant="light" onClick={() => { setReason(''); setDiscarding(letter); }}>Discard</Button>
                      </Group>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Modal opened={discarding !== null} onClose={() => setDiscarding(null)} title="Discard a dead letter">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (discarding === null || reason.trim() === '') return;
            act(send('POST', `/v1/admin/dead-letters/${encodeURIComponent(discarding.id)}/discard`, { reason: reason.trim() }));
            setDiscarding(null);
          }}
        >
          <Stack>
            <Text size="sm">The event stays in the log; only this delivery is given up. Say why.</Text>
            <Textarea label="Reason" required value={reason} onChange={(event) => setReason(event.currentTarget.value)} autosize minRows={2} data-autofocus />
            <Group justify="flex-end"><Button variant="default" onClick={() => setDiscarding(null)}>Keep it</Button><Button type="submit" color="red" disabled={reason.trim() === ''}>Discard</Button></Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
