import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets; pino replaces their values before a line is written. */
export const REDACT_PATHS = [
  'token',
  'accessToken',
  'password',
  'secret',
  'authorization',
  '*.token',
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
];

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { pid: process.pid, ...base },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
