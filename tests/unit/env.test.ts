import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/env';

describe('configuration', () => {
  it('defaults to the embedded database and demo sign-in outside production', () => {
    const config = parseConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data' });
    expect(config.devAuth).toBe(true);
    expect(config.PORT).toBe(3000);
    expect(config.SHOPIFY_API_VERSION).toBe('2026-10');
  });

  it('names the variable and the value in one line when a value is wrong', () => {
    expect(() => parseConfig({ PORT: 'abc' })).toThrowError(/^Invalid configuration: PORT must be a number \(got "abc"\)$/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrowError(/LOG_LEVEL/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/DATABASE_URL must be a postgres/);
    expect(() => parseConfig({ SHOPIFY_ADMIN_URL: 'ftp://x' })).toThrowError(/SHOPIFY_ADMIN_URL must be an http\(s\) URL/);
  });

  it('never echoes a secret value in the error', () => {
    try {
      parseConfig({ SUPABASE_JWT_SECRET: 'short-secret' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('SUPABASE_JWT_SECRET');
      expect((err as Error).message).not.toContain('short-secret');
    }
  });

  it('requires a way to sign in: demo is off in production unless asked for', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrowError(/SUPABASE_URL or SUPABASE_JWT_SECRET/);
    expect(() => parseConfig({ NODE_ENV: 'production', DEV_AUTH: 'true' })).toThrowError(/DEV_AUTH/);
    expect(parseConfig({ NODE_ENV: 'production', DEV_AUTH: 'true', DEV_AUTH_ALLOW_PRODUCTION: 'true' }).devAuth).toBe(true);
    expect(parseConfig({ SUPABASE_URL: 'https://x.supabase.co' }).devAuth).toBe(false);
  });

  it('requires the shop and its token together', () => {
    expect(() => parseConfig({ SHOPIFY_SHOP: 'a.myshopify.com' })).toThrowError(/SHOPIFY_ACCESS_TOKEN is required/);
    const config = parseConfig({ SHOPIFY_SHOP: 'a.myshopify.com', SHOPIFY_ACCESS_TOKEN: 'shpat_x', DATABASE_URL: 'postgres://h/db' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://h/db' });
  });
});
