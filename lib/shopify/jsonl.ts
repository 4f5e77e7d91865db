import type { ShopifyTransport } from './client';
import { ShopifyRequestError } from './errors';

/**
 * Reads a JSONL file from `url` and parses it per network chunk: each batch holds the complete
 * lines of one chunk (a line cut by the chunk boundary waits for the next). Memory stays bounded
 * whatever the file's size, and the consumer pays one await per chunk rather than per line.
 */
export async function* streamJsonlBatches<T = Record<string, unknown>>(
  t: ShopifyTransport,
  url: string,
  signal?: AbortSignal,
): AsyncGenerator<T[]> {
  const response = await t.fetch(url, signal ? { signal } : {});
  if (!response.ok || !response.body) {
    throw new ShopifyRequestError(`bulk result download failed (HTTP ${response.status})`, {
      status: response.status,
      retryable: response.status >= 500,
    });
  }
  const decoder = new TextDecoder();
  let partial = '';
  const parse = (text: string, batch: T[]) => {
    for (const line of text.split('\n')) if (line.trim() !== '') batch.push(JSON.parse(line) as T);
  };
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const text = partial + decoder.decode(chunk, { stream: true });
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      partial = text;
      continue;
    }
    partial = text.slice(end + 1);
    const batch: T[] = [];
    parse(text.slice(0, end), batch);
    if (batch.length) yield batch;
  }
  const batch: T[] = [];
  parse(partial + decoder.decode(), batch);
  if (batch.length) yield batch;
}

/** Reads a JSONL file from `url` one line at a time: memory stays bounded whatever the file's size. */
export async function* streamJsonl<T = Record<string, unknown>>(t: ShopifyTransport, url: string, signal?: AbortSignal): AsyncGenerator<T> {
  for await (const batch of streamJsonlBatches<T>(t, url, signal)) yield* batch;
}
