import { ApiError } from '../api.ts';

/** POSTs `body` to `url` and saves the file the server answers with (its own file name). */
export async function downloadPost(url: string, body: unknown, fallbackName: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!res.ok) throw new ApiError(res.status, 'export', `HTTP ${res.status}`);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(href);
}
