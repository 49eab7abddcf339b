import { Anchor, Badge, Button, Code, CopyButton, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/useApi';
import type { SearchAnswer } from '../api/types';
import { EmptyState, ErrorState, LoadingState } from '../components/StateViews';
import { Link, navigate, planPath } from '../router';

interface Field {
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'number' | 'date' | 'planType';
  readonly hint?: string;
}

/** The `/v1/search` filters a person is likely to want, each a form control named after its parameter. */
const FIELDS: readonly Field[] = [
  { name: 'q', label: 'Service name words', kind: 'text', hint: 'full text; every word must match' },
  { name: 'planType', label: 'Plan type', kind: 'planType' },
  { name: 'objectId', label: 'Plan objectId', kind: 'text' },
  { name: 'creationDate[gte]', label: 'Created on or after', kind: 'date' },
  { name: 'creationDate[lte]', label: 'Created on or before', kind: 'date' },
  { name: 'planCostShares.deductible[gte]', label: 'Plan deductible at least', kind: 'number' },
  { name: 'planCostShares.deductible[lte]', label: 'Plan deductible at most', kind: 'number' },
  { name: 'planCostShares.copay[gte]', label: 'Plan copay at least', kind: 'number' },
  { name: 'planCostShares.copay[lte]', label: 'Plan copay at most', kind: 'number' },
  { name: 'linkedPlanServices.linkedService.name', label: 'Service named exactly', kind: 'text', hint: 'with the copay filters below: the same service' },
  { name: 'linkedPlanServices.planserviceCostShares.copay[gte]', label: 'Service copay at least', kind: 'number' },
  { name: 'linkedPlanServices.planserviceCostShares.copay[lte]', label: 'Service copay at most', kind: 'number' },
];

const SORTS = [
  { value: '', label: 'Relevance' },
  { value: 'creationDate', label: 'Created, oldest first' },
  { value: '-creationDate', label: 'Created, newest first' },
  { value: 'planType', label: 'Plan type' },
  { value: 'objectId', label: 'objectId' },
];

const read = (search: string): Record<string, string> => Object.fromEntries(new URLSearchParams(search));

/** An RFC 3339 time as a `datetime-local` value (local time, to the second), and back. */
const toLocalInput = (iso: string | undefined): string => {
  const time = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(time)) return '';
  const local = new Date(time - new Date(time).getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
};
const fromLocalInput = (value: string): string => (value === '' || Number.isNaN(Date.parse(value)) ? '' : new Date(value).toISOString());

/**
 * Search with form controls for `/v1/search`'s filters; the address holds the query, and the
 * equivalent api URL is shown. Auditors (`audit:read`) may pick a past moment: the same search
 * over every plan as it was then (`asOf`), each hit at its version then.
 */
export function SearchPage({ search, canAudit = false }: { search: string; canAudit?: boolean }) {
  const applied = read(search);
  const [draft, setDraft] = useState<Record<string, string>>(applied);
  useEffect(() => setDraft(read(search)), [search]);
  const apiQuery = new URLSearchParams(Object.entries(applied).filter(([, value]) => value !== '')).toString();
  const apiPath = `/v1/search${apiQuery === '' ? '' : `?${apiQuery}`}`;
  const { answer, error, loading, reload } = useApi<SearchAnswer>(apiPath);
  const set = (name: string, value: string) => setDraft((current) => ({ ...current, [name]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { cursor: _cursor, ...rest } = draft;
    void _cursor;
    const query = new URLSearchParams(Object.entries(rest).filter(([, value]) => value !== '')).toString();
    navigate(`/console/search${query === '' ? '' : `?${query}`}`);
  };

  return (
    <Stack gap="md">
      <Title order={1} size="h2">Search</Title>
      <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Search filters">
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="sm">
          {FIELDS.map((field) => {
            const value = draft[field.name] ?? '';
            const common = { label: field.label, description: field.hint, name: field.name, id: `f-${field.name}` };
            if (field.kind === 'number') return <NumberInput key={field.name} {...common} min={0} value={value === '' ? '' : Number(value)} onChange={(next) => set(field.name, next === '' ? '' : String(next))} />;
            if (field.kind === 'planType') return <Select key={field.name} {...common} clearable placeholder="any" data={['inNetwork', 'outOfNetwork']} value={value || null} onChange={(next) => set(field.name, next ?? '')} />;
            return <TextInput key={field.name} {...common} type={field.kind === 'date' ? 'date' : 'text'} value={value} onChange={(event) => set(field.name, event.currentTarget.value)} />;
          })}
          {canAudit ? (
            <TextInput
              label="As of"
              description="a past moment: each plan as it was then (empty: now)"
              name="asOf"
              id="f-asOf"
              type="datetime-local"
              step={1}
              value={toLocalInput(draft['asOf'])}
              onChange={(event) => set('asOf', fromLocalInput(event.currentTarget.value))}
            />
          ) : null}
          <Select label="Sort" name="sort" data={SORTS} value={draft['sort'] ?? ''} onChange={(next) => set('sort', next ?? '')} allowDeselect={false} />
          <Select label="Per page" name="limit" data={['10', '20', '50', '100']} value={draft['limit'] ?? '20'} onChange={(next) => set('limit', next ?? '20')} allowDeselect={false} />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit">Search</Button>
          <Button variant="default" onClick={() => navigate('/console/search')}>Clear</Button>
        </Group>
      </Paper>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>Same as</Text>
        <Code block style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="search-url">{`GET ${location.origin}${apiPath}`}</Code>
        <CopyButton value={`${location.origin}${apiPath}`}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
      </Group>
      {error ? <ErrorState error={error} onRetry={reload} what="searching" /> : null}
      {!answer && loading ? <LoadingState label="Searching…" /> : null}
      {answer ? (
        <Stack gap="xs" aria-busy={loading}>
          <Text size="sm" data-testid="search-total">
            {answer.body.total} {answer.body.total === 1 ? 'plan matches' : 'plans match'}
            {applied['asOf'] ? ` as of ${new Date(applied['asOf']).toLocaleString()}` : ''}
          </Text>
          {answer.body.items.length === 0 ? (
            <EmptyState title="Nothing matches">Loosen a filter, or clear them all.</EmptyState>
          ) : (
            <Table.ScrollContainer minWidth={420}>
              <Table striped highlightOnHover data-testid="search-results">
                <Table.Thead>
                  <Table.Tr><Table.Th>Plan</Table.Th><Table.Th>Type</Table.Th><Table.Th>Created</Table.Th><Table.Th ta="right">{applied['asOf'] ? 'Version then' : 'Version'}</Table.Th><Table.Th ta="right">Score</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {answer.body.items.map((hit) => (
                    <Table.Tr key={`${hit.org}/${hit.planId}`}>
                      <Table.Td><Anchor component={Link} to={planPath(hit.planId)} className="mono">{hit.planId}</Anchor></Table.Td>
                      <Table.Td><Badge variant="light" tt="none">{hit.planType}</Badge></Table.Td>
                      <Table.Td>{hit.creationDate ?? '—'}</Table.Td>
                      <Table.Td ta="right">{hit.version}</Table.Td>
                      <Table.Td ta="right">{hit.score === null ? '—' : hit.score.toFixed(2)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {answer.body.cursor ? (
            <Group><Button variant="default" size="xs" onClick={() => navigate(`/console/search?${new URLSearchParams({ ...applied, cursor: answer.body.cursor ?? '' }).toString()}`)}>Next page</Button></Group>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}
