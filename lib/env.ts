import { z } from 'zod';

/**
 * The configuration contract of DESIGN.md, validated once at start.
 * A wrong value stops the start with one line that names the variable.
 */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const httpUrl = z.preprocess(
  emptyToUndefined,
  z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
);

const postgresUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
);

const booleanFlag = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      message: 'must be true or false',
    })
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v))
    .optional(),
);

const shopDomain = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+(:\d{1,5})?$/i, 'must be a shop domain such as my-store.myshopify.com')
    .optional(),
);

/** 32 bytes, as 64 hex characters or base64 (base64url too). */
const secretsKey = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .transform((v, ctx) => {
      const trimmed = v.trim();
      const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
      if (key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)' });
        return z.NEVER;
      }
      return key;
    })
    .optional(),
);

export const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  DATABASE_URL: postgresUrl,
  SHOPIFY_SHOP: shopDomain,
  SHOPIFY_ACCESS_TOKEN: optionalString,
  SHOPIFY_API_VERSION: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{4}-(01|04|07|10)$|^unstable$/, 'must be an API version such as 2026-10')
      .default('2026-10'),
  ),
  SHOPIFY_ADMIN_URL: httpUrl,
  SHOPIFY_WEBHOOK_SECRET: optionalString,
  /**
   * The key that encrypts stores' access tokens and webhook secrets at rest (AES-256-GCM). Unset: a
   * key is made once and kept in the database (fine for the demo; health and Settings say so).
   */
  STORE_SECRETS_KEY: secretsKey,
  PUBLIC_URL: httpUrl,
  SUPABASE_URL: httpUrl,
  SUPABASE_ANON_KEY: optionalString,
  SUPABASE_JWT_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters (the project JWT secret)').optional(),
  ),
  /** The `aud` a Supabase access token must carry (Supabase's default for signed-in users). */
  SUPABASE_JWT_AUDIENCE: z.preprocess(emptyToUndefined, z.string().default('authenticated')),
  DEV_AUTH: booleanFlag,
  /**
   * Demo sign-in with NODE_ENV=production: refused unless this is also set. Only for the local demo
   * and the tests, which run the production build on loopback; never on a server others can reach.
   */
  DEV_AUTH_ALLOW_PRODUCTION: booleanFlag,
  /** Behind a reverse proxy: trust its X-Forwarded-Host/-Proto/-For (off: they are ignored, anyone can send them). */
  TRUST_PROXY: booleanFlag,
  /** Let notification subscribers point at loopback, private and link-local addresses (local receivers in tests and demos). */
  ALLOW_PRIVATE_NOTIFICATION_TARGETS: booleanFlag,
  /**
   * Webhook requests that fail verification allowed per minute from one address (counted in the
   * database for every process); past it, that address's requests that fail verification get 429 without
   * database work. Verified deliveries never spend it and are never refused for rate.
   */
  WEBHOOK_UNVERIFIED_PER_MINUTE: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number' }).int().min(1, 'must be at least 1').default(60),
  ),
  /** Minutes between checks of each store's webhook subscriptions (missing ones are registered again). */
  WEBHOOK_CHECK_MINUTES: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number' }).min(0.01, 'must be more than 0').max(1440).default(5),
  ),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a number' })
      .int('must be an integer')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(3000),
  ),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
  /** Seconds a push lease lives without renewal: how long a crashed pusher blocks its store. */
  PUSH_LEASE_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number' }).min(1, 'must be at least 1').max(600, 'must be at most 600').default(15),
  ),
  /** First retry delay of outbound notifications in ms; retries wait up to this times 1, 2, 4 ... 128. */
  NOTIFY_RETRY_BASE_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number' }).int().min(10, 'must be at least 10').default(1000),
  ),
});

export type RawEnv = z.infer<typeof envSchema>;

export interface Config extends RawEnv {
  /** Demo sign-in enabled: explicit DEV_AUTH, else on only without Supabase and outside production. */
  devAuth: boolean;
  /** Which database the process uses. */
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  supabase: { url?: string; anonKey?: string; jwtSecret?: string; audience: string; issuer?: string; configured: boolean };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describe(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const variable = String(issue.path[0] ?? 'configuration');
  const raw = env[variable];
  const shown = raw === undefined ? '' : ` (got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}...` : raw)})`;
  const secret = /TOKEN|SECRET|KEY|DATABASE_URL/.test(variable);
  return `${variable} ${issue.message}${secret ? '' : shown}`;
}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => describe(i, env));
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const raw = parsed.data;
  const supabaseConfigured = Boolean(raw.SUPABASE_URL || raw.SUPABASE_JWT_SECRET);
  const devAuth = raw.DEV_AUTH ?? (!supabaseConfigured && raw.NODE_ENV !== 'production');
  if (raw.DEV_AUTH && raw.NODE_ENV === 'production' && supabaseConfigured) {
    throw new ConfigError('Invalid configuration: DEV_AUTH cannot be on in production while Supabase is configured');
  }
  // Demo sign-in makes anyone an admin: a production start with it is a mistake unless it says otherwise.
  if (devAuth && raw.NODE_ENV === 'production' && !raw.DEV_AUTH_ALLOW_PRODUCTION) {
    throw new ConfigError(
      'Invalid configuration: DEV_AUTH (demo sign-in) cannot be on in production; configure Supabase ' +
        '(or set DEV_AUTH_ALLOW_PRODUCTION=true for a local demo only)',
    );
  }
  if (raw.SHOPIFY_SHOP && !raw.SHOPIFY_ACCESS_TOKEN) {
    throw new ConfigError('Invalid configuration: SHOPIFY_ACCESS_TOKEN is required when SHOPIFY_SHOP is set');
  }
  if (!raw.SHOPIFY_SHOP && raw.SHOPIFY_ACCESS_TOKEN) {
    throw new ConfigError('Invalid configuration: SHOPIFY_SHOP is required when SHOPIFY_ACCESS_TOKEN is set');
  }
  if (!devAuth && !supabaseConfigured) {
    throw new ConfigError('Invalid configuration: SUPABASE_URL or SUPABASE_JWT_SECRET is required when DEV_AUTH is off');
  }
  return {
    ...raw,
    devAuth,
    database: raw.DATABASE_URL ? { kind: 'postgres', url: raw.DATABASE_URL } : { kind: 'pglite', dataDir: raw.DATA_DIR },
    supabase: {
      url: raw.SUPABASE_URL,
      anonKey: raw.SUPABASE_ANON_KEY,
      jwtSecret: raw.SUPABASE_JWT_SECRET,
      audience: raw.SUPABASE_JWT_AUDIENCE,
      // Supabase Auth signs its tokens as the project's /auth/v1.
      issuer: raw.SUPABASE_URL ? `${raw.SUPABASE_URL}/auth/v1` : undefined,
      configured: supabaseConfigured,
    },
  };
}
