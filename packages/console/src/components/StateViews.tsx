import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/apiClient';

/** What a failed call means to a person, by status. */
export function ErrorState({ error, onRetry, what = 'this' }: { error: ApiError; onRetry?: () => void; what?: string }) {
  const { status, problem } = error;
  const [title, text] =
    status === 0
      ? ['The api cannot be reached', 'It may be down or restarting. Your page is kept; try again in a moment.']
      : status === 403
        ? ['Not allowed', `Your sign-in does not allow ${what}${problem.detail ? ` (${problem.detail})` : ''}.`]
        : status === 404
          ? ['Not found', problem.detail ?? `There is no ${what}.`]
          : status === 410
            ? ['Deleted', problem.detail ?? `${what} was deleted.`]
            : status === 503
              ? ['Temporarily unavailable', problem.detail ?? 'A service behind the api is unavailable; try again shortly.']
              : [problem.title ?? `Error ${status}`, problem.detail ?? 'The request failed.'];
  return (
    <Alert color={status === 404 || status === 410 ? 'gray' : status === 403 ? 'yellow' : 'red'} title={title} role="alert" data-testid="error-state" data-status={status}>
      <Stack gap="xs">
        <Text size="sm">{text}</Text>
        {problem.requestId ? (
          <Text size="xs" c="dimmed">
            Request id {problem.requestId}
          </Text>
        ) : null}
        {onRetry && (status === 0 || status >= 500) ? (
          <Group>
            <Button size="xs" variant="light" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}

export function LoadingState({ label = 'Loading…', height = 160 }: { label?: string; height?: number }) {
  return (
    <Center mih={height} role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed">{label}</Text>
      </Group>
    </Center>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Center mih={120} data-testid="empty-state">
      <Stack gap={4} align="center">
        <Text fw={600}>{title}</Text>
        {children ? (
          <Text c="dimmed" size="sm" ta="center">
            {children}
          </Text>
        ) : null}
      </Stack>
    </Center>
  );
}
