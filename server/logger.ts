import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets; pino replaces their values before a line is written. */
export const REDACT_PATHS = [
  'token',
  'accessToken',
  'password',
  'secret',
  'authorization',
  'cookie',
  'webhookSecret',
  'SHOPIFY_ACCESS_TOKEN',
  'SUPABASE_JWT_SECRET',
  'SHOPIFY_WEBHOOK_SECRET',
  'METRICS_TOKEN',
  'SUPABASE_ANON_KEY',
  '*.token',
  '*.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-shopify-access-token"]',
  '*.headers["x-shopify-hmac-sha256"]',
  'headers["x-shopify-access-token"]',
  'headers["x-shopify-hmac-sha256"]',
  '*.SHOPIFY_ACCESS_TOKEN',
  '*.SUPABASE_JWT_SECRET',
  '*.SHOPIFY_WEBHOOK_SECRET',
  '*.METRICS_TOKEN',
  '*.accessToken',
  '*.password',
  '*.secret',
  '*.webhookSecret',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.SHOPIFY_ACCESS_TOKEN',
  'config.SUPABASE_JWT_SECRET',
  'config.SHOPIFY_WEBHOOK_SECRET',
  'config.METRICS_TOKEN',
  'config.supabase.jwtSecret',
  'config.supabase.anonKey',
];

/** `destination` is for tests that read the lines; by default lines go to stdout. */
export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { pid: process.pid, ...base },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
