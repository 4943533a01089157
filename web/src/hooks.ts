import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiError } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  isLoading: boolean;
  reload: () => void;
}

/** Loads something for a page and keeps the last answer; a newer call wins over an older one. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | Error>();
  const [isLoading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    loadRef
      .current(controller.signal)
      .then((value) => {
        if (!controller.signal.aborted) setData(value);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted)
          setError(caught instanceof Error ? caught : new Error(String(caught)));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, isLoading, reload };
}

/** Runs an action (a form submit, a button) with its pending state and the error it ended with. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | Error>();
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (caught) {
        setError(caught instanceof Error ? caught : new Error(String(caught)));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [action],
  );
  return { run, isPending, error, clearError: () => setError(undefined) };
}

/**
 * A page's filters kept in the URL (shareable, kept on reload): the current query string and a
 * setter that changes some filters, dropping the empty ones. `replace` keeps filter changes out
 * of the browser's history.
 */
export function useUrlFilters(options: { replace: boolean }) {
  const [params, setParams] = useSearchParams();
  const setFilters = useCallback(
    (changes: Record<string, string>) => {
      const next = new URLSearchParams(params);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      setParams(next, { replace: options.replace });
    },
    [params, setParams, options.replace],
  );
  return [params, setFilters, setParams] as const;
}
