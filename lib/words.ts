/**
 * Counted nouns: "1 row", "2 rows", "1,368 changes". The plural is the noun with an s unless given
 * ("1 inventory level" needs none; "1 entry", "2 entries" does).
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
