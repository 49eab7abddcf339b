import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type ApiAnswer } from './apiClient';

export interface Loaded<T> {
  readonly answer: ApiAnswer<T> | null;
  readonly error: ApiError | null;
  /** True while a request is out; the last answer stays shown meanwhile, so nothing jumps. */
  readonly loading: boolean;
  readonly reload: () => void;
}

/** GETs `path` (nothing while it is null) and again whenever it changes or `reload` is called. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [answer, setAnswer] = useState<ApiAnswer<T> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (path === null) return;
    const call = ++latest.current;
    setLoading(true);
    api<T>(path).then(
      (result) => {
        if (call !== latest.current) return;
        setAnswer(result);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (call !== latest.current) return;
        setError(failure instanceof ApiError ? failure : new ApiError(0, { title: 'Unexpected error', detail: String(failure) }));
        setLoading(false);
      },
    );
  }, [path, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { answer, error, loading, reload };
}

/** Calls `task` every `ms` while the page is shown; one call at a time. */
export function useInterval(task: () => void, ms: number): void {
  const saved = useRef(task);
  saved.current = task;
  useEffect(() => {
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}
