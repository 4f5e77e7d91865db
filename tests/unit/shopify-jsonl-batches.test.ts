import { describe, expect, it } from 'vitest';
import type { ShopifyTransport } from '../../lib/shopify';
import { streamJsonlBatches } from '../../lib/shopify/jsonl';

/** A transport whose fetch answers with the given chunks, as a network would cut them. */
function transportOf(chunks: string[]): ShopifyTransport {
  const encoder = new TextEncoder();
  const bytes = chunks.map((c) => encoder.encode(c));
  return {
    fetch: async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const b of bytes) controller.enqueue(b);
            controller.close();
          },
        }),
      ),
  } as unknown as ShopifyTransport;
}

async function collect(chunks: string[]) {
  const batches: unknown[][] = [];
  for await (const batch of streamJsonlBatches(transportOf(chunks), 'http://bulk.test/result.jsonl')) batches.push(batch);
  return batches;
}

describe('JSONL bulk results parsed per network chunk', () => {
  it('gives the complete lines of each chunk and keeps a cut line for the next', async () => {
    expect(await collect(['{"a":1}\n{"a":2}\n{"b"', ':3}\n', '\n{"c":4}'])).toEqual([[{ a: 1 }, { a: 2 }], [{ b: 3 }], [{ c: 4 }]]);
  });

  it('decodes a multi-byte character cut between two chunks', async () => {
    const line = '{"title":"Café ☕"}\n';
    const bytes = new TextEncoder().encode(line);
    const cut = bytes.indexOf(0xe2) + 1;
    const transport = {
      fetch: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(bytes.slice(0, cut));
              controller.enqueue(bytes.slice(cut));
              controller.close();
            },
          }),
        ),
    } as unknown as ShopifyTransport;
    const batches: unknown[][] = [];
    for await (const batch of streamJsonlBatches(transport, 'http://bulk.test/result.jsonl')) batches.push(batch);
    expect(batches.flat()).toEqual([{ title: 'Café ☕' }]);
  });

  it('yields nothing for an empty result and reads a last line without a newline', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(['{"a":1}'])).toEqual([[{ a: 1 }]]);
  });
});
