import { describe, expect, it } from 'vitest';
import { jsonNestedDeeperThan } from '@/lib/json-depth';

describe('jsonNestedDeeperThan', () => {
  it('counts the nesting of arrays and objects, not brackets inside strings or escaped quotes', () => {
    expect(jsonNestedDeeperThan('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(jsonNestedDeeperThan('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(jsonNestedDeeperThan(JSON.stringify({ title: '[[[[{{{{', quote: 'a\\"[[[[' }), 1)).toBe(false);
    expect(jsonNestedDeeperThan(`${'['.repeat(5000)}${']'.repeat(5000)}`, 64)).toBe(true);
    expect(jsonNestedDeeperThan('[[],[],[[]]]', 3)).toBe(false);
  });
});
