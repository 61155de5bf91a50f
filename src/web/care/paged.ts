/** A keyset-paged care list read page by page ("show more"). */
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type Page } from '../api.ts';

/** `after`: start after this cursor (the rest of a list whose first page came with its record). */
export function usePaged<T>(
  key: unknown[],
  url: string,
  {
    limit = 30,
    after = null,
    enabled = true,
  }: { limit?: number; after?: string | null; enabled?: boolean } = {},
) {
  const q = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      api<Page<T>>(
        `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: after,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
  return { ...q, rows: q.data?.pages.flatMap((p) => p.items) ?? [] };
}
