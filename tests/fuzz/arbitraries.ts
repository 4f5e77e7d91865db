import fc from 'fast-check';

/** Strings that have broken parsers and SQL before: quotes, LIKE wildcards, escapes, NULs, unicode. */
export const NASTY_STRINGS = [
  "'; drop table staged_changes; --",
  "' or '1'='1",
  '%',
  '_',
  '\\',
  '%_\\%',
  '"',
  '\u0000',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'gid://shopify/Product/1',
  '00000000-0000-4000-8000-000000000000',
  'ünïcødé ✓ 商品 🛒',
  '\u202e\u200b',
  ' '.repeat(300),
  'a'.repeat(5000),
];

const KEYS = [
  'mode',
  'priority',
  'ids',
  'filter',
  'fields',
  'resolution',
  'reason',
  'itemIds',
  'demoUser',
  'accessToken',
  'title',
  'price',
  'variants',
  'status',
  'kind',
  'entity',
  'field',
  'vendor',
  'productType',
  'q',
  'limit',
  'cursor',
  'name',
  'url',
  'events',
  'settings',
  'value',
  'custom',
  'id',
  'storeId',
  'syncStatus',
  'tags',
  'sku',
  'compareAtPrice',
  'entityType',
  'entityId',
  'actorId',
  'windowMinutes',
  '__proto__',
  'constructor',
];

export const nastyString = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 40 }), fc.uuid());
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.uuid(), nastyString, fc.integer()), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
);

/** A JSON value shaped like our API's bodies often enough to get past the first checks. */
export const plausibleObject = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), value, { maxKeys: 6 });

/** A request body: JSON of any shape, plausible objects, or text that is not JSON at all. */
export const bodyArb: fc.Arbitrary<{ json?: unknown; raw?: string }> = fc.oneof(
  { weight: 4, arbitrary: plausibleObject.map((json) => ({ json })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((raw) => ({ raw })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '{', '[1,', '{"a":', 'null', '"x"', '\u0000', '{"__proto__":{"admin":true}}').map((raw) => ({ raw })),
  },
);

/** Query strings with our filter names and hostile values. */
export const queryArb = fc.dictionary(
  fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
  fc.oneof(nastyString, fc.integer().map(String)),
  { maxKeys: 5 },
);

/** Header-safe text (a Headers object refuses control characters). */
export const headerText = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim());

export type Credential = 'admin' | 'merchandiser' | 'support' | 'none' | 'garbage' | 'cookie-cross-site' | 'cookie-same-origin';
export const credentialArb = fc.constantFrom<Credential>(
  'admin',
  'admin',
  'merchandiser',
  'support',
  'none',
  'garbage',
  'cookie-cross-site',
  'cookie-same-origin',
);

export const headersArb = fc.record({
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'multipart/form-data; boundary=x',
    'text/csv',
    '',
    'application/x-www-form-urlencoded',
  ),
  extra: fc.dictionary(
    fc.constantFrom('x-request-id', 'accept', 'x-forwarded-host', 'origin', 'sec-fetch-site', 'x-shopify-topic'),
    headerText,
    { maxKeys: 3 },
  ),
});

/** A URL path segment value for a dynamic route parameter. */
export const paramArb = fc.oneof(
  fc.constant('00000000-0000-4000-8000-000000000000'),
  fc.uuid(),
  nastyString.map((s) => s.slice(0, 200)),
);
