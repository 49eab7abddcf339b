import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useApi } from '../api/useApi';
import type { PlanDocument } from '../api/types';
import { JsonTree } from '../components/JsonTree';
import { ErrorState, LoadingState } from '../components/StateViews';
import { formatTime } from '../format';
import { Link, planPath } from '../router';

/** One plan's current document as a tree (`GET /v1/plans/{id}`); a deleted plan says when it went. */
export function PlanPage({ planId, canAudit }: { planId: string; canAudit: boolean }) {
  const { answer, error, loading, reload } = useApi<PlanDocument>(`/v1/plans/${encodeURIComponent(planId)}`);
  const version = answer?.headers.get('etag')?.replace(/^"v|"$/g, '');
  const history = `${planPath(planId)}/history`;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Stack gap={0}>
          <Text size="sm" c="dimmed">
            <Anchor component={Link} to="/console/plans">Plans</Anchor> / plan
          </Text>
          <Title order={1} size="h2" className="mono" style={{ overflowWrap: 'anywhere' }}>{planId}</Title>
        </Stack>
        <Group gap="xs">
          {version ? <Badge size="lg" variant="light">version {version}</Badge> : null}
          {canAudit ? <Button component={Link} to={history} variant="light" size="xs">History</Button> : null}
          <Button variant="default" size="xs" onClick={reload} loading={loading}>Refresh</Button>
        </Group>
      </Group>
      {answer ? <Text size="sm" c="dimmed">Last changed {formatTime(answer.headers.get('last-modified') ? new Date(answer.headers.get('last-modified') ?? '').toISOString() : null)}</Text> : null}
      {error?.status === 410 ? (
        <Alert color="gray" title="This plan was deleted" data-testid="plan-deleted">
          <Stack gap="xs">
            <Text size="sm">
              Deleted {formatTime(typeof error.problem['deletedAt'] === 'string' ? error.problem['deletedAt'] : null)}
              {typeof error.problem['version'] === 'number' ? ` at version ${error.problem['version']}` : ''}.
            </Text>
            {canAudit ? <Anchor component={Link} to={history}>See how it ended in its history</Anchor> : null}
          </Stack>
        </Alert>
      ) : error ? (
        <ErrorState error={error} onRetry={reload} what={`plan ${planId}`} />
      ) : null}
      {!answer && loading ? <LoadingState label="Loading the plan…" /> : null}
      {answer && !error ? (
        <Paper withBorder p="md">
          <JsonTree document={answer.body} label={`Plan ${planId}`} />
        </Paper>
      ) : null}
    </Stack>
  );
}
