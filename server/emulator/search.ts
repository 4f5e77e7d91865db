/**
 * Shopify's search syntax as the emulator understands it: `field:value`, comparators
 * (`:>`, `:>=`, `:<`, `:<=`), quoted values, implicit AND, `AND`, `OR`, `NOT` / `-` prefix,
 * and bare words matched against the title.
 */
export interface SearchTerm {
  field: string | null;
  op: '=' | '>' | '>=' | '<' | '<=';
  value: string;
  negate: boolean;
}

/** Disjunction of conjunctions: [[a AND b] OR [c]]. */
export type SearchQuery = SearchTerm[][];

export function parseSearch(query: string | null | undefined): SearchQuery {
  if (!query?.trim()) return [];
  const tokens: string[] = [];
  const re = /\s*(-?[A-Za-z_.]+:(?:>=|<=|>|<)?(?:'[^']*'|"[^"]*"|[^\s()]*)|'[^']*'|"[^"]*"|[^\s()]+)/g;
  for (const match of query.matchAll(re)) if (match[1]) tokens.push(match[1]);
  const groups: SearchQuery = [[]];
  let negateNext = false;
  for (const token of tokens) {
    if (token === 'AND') continue;
    if (token === 'OR') {
      groups.push([]);
      continue;
    }
    if (token === 'NOT') {
      negateNext = true;
      continue;
    }
    let negate = negateNext;
    negateNext = false;
    let body = token;
    if (body.startsWith('-')) {
      negate = !negate;
      body = body.slice(1);
    }
    const fieldMatch = /^([A-Za-z_.]+):(>=|<=|>|<)?(.*)$/.exec(body);
    if (fieldMatch) {
      groups[groups.length - 1]!.push({
        field: fieldMatch[1]!.toLowerCase(),
        op: (fieldMatch[2] as SearchTerm['op']) ?? '=',
        value: unquote(fieldMatch[3]!),
        negate,
      });
    } else {
      groups[groups.length - 1]!.push({ field: null, op: '=', value: unquote(body), negate });
    }
  }
  return groups.filter((g) => g.length > 0);
}

function unquote(value: string): string {
  if ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"'))) return value.slice(1, -1);
  return value;
}

/** Field accessors per searchable field: return one value or several (any may match). */
export type SearchFields<T> = Record<string, (item: T) => string | number | null | Array<string | number | null>>;

export function matchesSearch<T>(item: T, query: SearchQuery, fields: SearchFields<T>, defaultField: string): boolean {
  if (query.length === 0) return true;
  return query.some((group) => group.every((term) => termMatches(item, term, fields, defaultField)));
}

/** The items a search query matches, as a fresh array (all of them for an empty query). */
export function filterBySearch<T>(
  items: Iterable<T>,
  query: string | null | undefined,
  fields: SearchFields<T>,
  defaultField: string,
): T[] {
  const parsed = parseSearch(query);
  const list = [...items];
  return parsed.length ? list.filter((item) => matchesSearch(item, parsed, fields, defaultField)) : list;
}

function termMatches<T>(item: T, term: SearchTerm, fields: SearchFields<T>, defaultField: string): boolean {
  const accessor = fields[term.field ?? defaultField];
  // Shopify ignores unknown search fields rather than failing the query.
  if (!accessor) return true;
  const raw = accessor(item);
  const values = Array.isArray(raw) ? raw : [raw];
  const hit = values.some((v) => compare(v, term, term.field === null));
  return term.negate ? !hit : hit;
}

function compare(value: string | number | null, term: SearchTerm, contains: boolean): boolean {
  if (term.value === '*') return value !== null && value !== '';
  if (value === null) return false;
  if (typeof value === 'number') {
    const target = Number(term.value.replace(/^gid:\/\/shopify\/[A-Za-z]+\//, ''));
    return cmp(value, target, term.op);
  }
  if (term.op !== '=') {
    const a = Date.parse(value);
    const b = Date.parse(term.value);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return cmp(a, b, term.op);
    return cmp(value as unknown as number, term.value as unknown as number, term.op);
  }
  const v = value.toLowerCase();
  const t = term.value.toLowerCase();
  if (t.endsWith('*')) return v.startsWith(t.slice(0, -1));
  return contains ? v.includes(t) : v === t;
}

function cmp(a: number, b: number, op: SearchTerm['op']): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}
