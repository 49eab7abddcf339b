import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../api/useApi';
import type { PlanList } from '../api/types';
import { EmptyState, ErrorState, LoadingState } from '../components/StateViews';
import { formatAgo, formatTime } from '../format';
import { Link, planPath } from '../router';

/** The org's plans, most recently changed first (`GET /v1/plans`), a page at a time. */
export function PlansPage() {
  const [pages, setPages] = useState<string[]>(['/v1/plans?limit=50']);
  const path = pages.at(-1) ?? '/v1/plans?limit=50';
  const { answer, error, loading, reload } = useApi<PlanList>(path);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">Plans</Title>
        <Button variant="default" size="xs" onClick={reload} loading={loading}>Refresh</Button>
      </Group>
      <Text c="dimmed" size="sm">Your org's plans, the most recently changed first.</Text>
      {error ? <ErrorState error={error} onRetry={reload} what="listing plans" /> : null}
      {!answer && loading ? <LoadingState label="Loading plans…" /> : null}
      {answer && answer.body.items.length === 0 ? <EmptyState title="No plans yet">Plans created through the API appear here.</EmptyState> : null}
      {answer && answer.body.items.length > 0 ? (
        <Table.ScrollContainer minWidth={340}>
          <Table striped highlightOnHover data-testid="plans-table" aria-busy={loading}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Plan</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th ta="right">Version</Table.Th>
                <Table.Th>Last change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answer.body.items.map((item) => (
                <Table.Tr key={`${item.org}/${item.planId}`}>
                  <Table.Td>
                    <Anchor component={Link} to={planPath(item.planId)} className="mono">{item.planId}</Anchor>
                  </Table.Td>
                  <Table.Td><Badge variant="light" tt="none">{item.planType}</Badge></Table.Td>
                  <Table.Td ta="right">{item.version}</Table.Td>
                  <Table.Td title={formatTime(item.at)}>{formatAgo(item.at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Group>
        {pages.length > 1 ? <Button variant="default" size="xs" onClick={() => setPages(pages.slice(0, -1))}>Previous page</Button> : null}
        {answer?.body.next ? <Button variant="default" size="xs" onClick={() => setPages([...pages, answer.body.next ?? ''])}>Next page</Button> : null}
      </Group>
    </Stack>
  );
}
