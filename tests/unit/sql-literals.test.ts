import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { CHANGE_STATUS, containsPattern, ITEM_STATUS, sqlConstants } from '@/server/db/literals';

const render = (query: ReturnType<typeof sql>) => new PgDialect().sqlToQuery(query);

describe('SQL literals of the code', () => {
  it('a status by name reads as its quoted literal in the statement, not as a parameter', () => {
    const q = render(sql`select 1 where a = ${CHANGE_STATUS.pending} and b = ${ITEM_STATUS.rolled_back} and c = ${'x'}`);
    expect(q.sql).toBe("select 1 where a = 'pending' and b = 'rolled_back' and c = $1");
    expect(q.params).toEqual(['x']);
  });

  it('a list of constants reads as a quoted list', () => {
    expect(render(sql`s in (${sqlConstants(['queued', "it's"])})`).sql).toBe("s in ('queued', 'it''s')");
  });

  it('a contains-pattern takes LIKE metacharacters literally', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
