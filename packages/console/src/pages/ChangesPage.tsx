import { Anchor, Badge, Button, Checkbox, Code, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, download } from '../api/apiClient';
import { useApi } from '../api/useApi';
import type { ChangesPage as Changes } from '../api/types';
import { EmptyState, ErrorState, LoadingState } from '../components/StateViews';
import { formatActor, formatTime } from '../format';
import { Link, navigate, planPath } from '../router';
import { changeLines } from './HistoryPage';

const TYPES = ['created', 'patched', 'replaced', 'deleted'] as const;
const TEXT_FILTERS = [
  { name: 'planId', label: 'Plan' },
  { name: 'actor', label: 'Actor (client id or subject)' },
  { name: 'path', label: 'Path (JSON Pointer)', placeholder: '/planCostShares' },
] as const;

const read = (search: string): Record<string, string> => Object.fromEntries(new URLSearchParams(search));
/** `datetime-local` has no zone; the console's times are UTC. */
const toRfc3339 = (local: string): string => (local === '' ? '' : `${local.length === 16 ? `${local}:00` : local}Z`);
const fromRfc3339 = (value: string | undefined): string => (value ?? '').replace(/Z$/, '').slice(0, 19);

/** The org's change feed (`GET /v1/changes`) with its filters, paged, and its NDJSON and CSV exports. */
export function ChangesPage({ search, admin }: { search: string; admin: boolean }) {
  const applied = read(search);
  const [draft, setDraft] = useState<Record<string, string>>(applied);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  useEffect(() => setDraft(read(search)), [search]);
  const query = new URLSearchParams(Object.entries(applied).filter(([, value]) => value !== '')).toString();
  const apiPath = `/v1/changes${query === '' ? '' : `?${query}`}`;
  const { answer, error, loading, reload } = useApi<Changes>(apiPath);
  const set = (name: string, value: string) => setDraft((current) => ({ ...current, [name]: value }));
  const types = new Set((draft['type'] ?? '').split(',').filter(Boolean));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { cursor: _cursor, ...rest } = draft;
    void _cursor;
    const next = new URLSearchParams(Object.entries(rest).filter(([, value]) => value !== '')).toString();
    navigate(`/console/changes${next === '' ? '' : `?${next}`}`);
  };
  const exportAs = (format: 'ndjson' | 'csv') => {
    const { cursor: _cursor, limit: _limit, ...filters } = applied;
    void [_cursor, _limit];
    const params = new URLSearchParams({ ...filters, format }).toString();
    setExportError(null);
    download(`/v1/changes?${params}`, format === 'csv' ? 'text/csv' : 'application/x-ndjson', `changes.${format}`).catch((failure: unknown) => setExportError(failure as ApiError));
  };

  return (
    <Stack gap="md">
      <Title order={1} size="h2">Changes</Title>
      <Text size="sm" c="dimmed">Every change to your org's plans, in the order they were written.</Text>
      <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Change filters">
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="sm">
          <TextInput type="datetime-local" step={1} label="Since (UTC, inclusive)" value={fromRfc3339(draft['since'])} onChange={(event) => set('since', toRfc3339(event.currentTarget.value))} />
          <TextInput type="datetime-local" step={1} label="Until (UTC, exclusive)" value={fromRfc3339(draft['until'])} onChange={(event) => set('until', toRfc3339(event.currentTarget.value))} />
          {TEXT_FILTERS.map((filter) => (
            <TextInput key={filter.name} label={filter.label} name={filter.name} placeholder={'placeholder' in filter ? filter.placeholder : undefined} value={draft[filter.name] ?? ''} onChange={(event) => set(filter.name, event.currentTarget.value)} />
          ))}
          <NumberInput label="Per page" min={1} max={1000} value={draft['limit'] ? Number(draft['limit']) : 100} onChange={(value) => set('limit', value === '' ? '' : String(value))} />
          {admin ? <TextInput label="Org (admin: one org, or *)" value={draft['org'] ?? ''} onChange={(event) => set('org', event.currentTarget.value)} /> : null}
        </SimpleGrid>
        <Checkbox.Group label="Types" mt="sm" value={[...types]} onChange={(value) => set('type', value.join(','))}>
          <Group mt={4}>
            {TYPES.map((type) => <Checkbox key={type} value={type} label={type} />)}
          </Group>
        </Checkbox.Group>
        <Group mt="md">
          <Button type="submit">Apply</Button>
          <Button variant="default" onClick={() => navigate('/console/changes')}>Clear</Button>
          <Button variant="light" onClick={() => exportAs('csv')} data-testid="export-csv">Export CSV</Button>
          <Button variant="light" onClick={() => exportAs('ndjson')} data-testid="export-ndjson">Export NDJSON</Button>
        </Group>
      </Paper>
      <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="changes-url">{`GET ${location.origin}${apiPath}`}</Code>
      {exportError ? <ErrorState error={exportError} what="exporting changes" /> : null}
      {error ? <ErrorState error={error} onRetry={reload} what="reading the change feed" /> : null}
      {!answer && loading ? <LoadingState label="Loading changes…" /> : null}
      {answer && answer.body.changes.length === 0 ? <EmptyState title="No changes match">Widen the time range or clear a filter.</EmptyState> : null}
      {answer && answer.body.changes.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="xs" data-testid="changes-table" aria-busy={loading}>
            <Table.Thead>
              <Table.Tr><Table.Th>When</Table.Th><Table.Th>Plan</Table.Th><Table.Th>Change</Table.Th><Table.Th>Who</Table.Th><Table.Th>What changed</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answer.body.changes.map((change) => (
                <Table.Tr key={change.position ?? `${change.org}/${change.planId}/${change.version}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(change.at)}</Table.Td>
                  <Table.Td><Anchor component={Link} to={`${planPath(change.planId ?? '')}/history`} className="mono">{change.planId}</Anchor></Table.Td>
                  <Table.Td><Badge variant="light">{change.type} v{change.version}</Badge></Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatActor(change.actor)}</Text>
                    {change.reason ? <Text size="xs" fs="italic" c="dimmed">“{change.reason}”</Text> : null}
                  </Table.Td>
                  <Table.Td className="mono" style={{ fontSize: 12, overflowWrap: 'anywhere' }}>
                    {changeLines(change).slice(0, 4).map((line, index) => <div key={index}>{line}</div>)}
                    {changeLines(change).length > 4 ? <Text size="xs" c="dimmed">and {changeLines(change).length - 4} more</Text> : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {answer?.body.next ? (
        <Group><Button variant="default" size="xs" onClick={() => navigate(`/console/changes?${new URL(answer.body.next ?? '', location.origin).searchParams.toString()}`)}>Next page</Button></Group>
      ) : null}
    </Stack>
  );
}
