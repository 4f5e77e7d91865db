import { spawn } from 'node:child_process';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pullRoute from '../../app/api/sync/shopify/pull/route';
import { ConfigError, parseConfig } from '../../lib/env';
import { TokenVerifier } from '../../server/auth/tokens';
import { callRoute } from '../helpers/api';
import { FORGED_ENV, FORGED_SECRET, forgedToken, nowSeconds, type TokenShape } from '../helpers/forged-token';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * A token is ours only when it is signed by a key we trust AND names our audience (and, with
 * SUPABASE_URL, our project as issuer) AND says when it was issued and expires, within a week.
 * A shared HS256 secret is not enough: another project's token, or one that never expires, is refused.
 */
const REFUSED: Array<[string, TokenShape]> = [
  ['the audience of another project', { aud: 'other-project' }],
  ['no audience', { aud: null }],
  ['another issuer', { iss: 'https://project-b.supabase.co/auth/v1' }],
  ['no issuer while SUPABASE_URL is set', { iss: null }],
  ['no exp', { exp: null }],
  ['no iat', { iat: null }],
  ['iat ten years ahead', { iat: nowSeconds() + 10 * 365 * 86400, exp: nowSeconds() + 10 * 365 * 86400 + 3600 }],
  ['a lifetime of ten years', { exp: nowSeconds() + 10 * 365 * 86400 }],
];

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime({ env: FORGED_ENV });
});
afterAll(() => t?.stop());

describe('token claims', () => {
  it('accepts a token of our project', async () => {
    await expect(t.runtime.verifier.verify(await forgedToken())).resolves.toMatchObject({ id: 'mallory', role: 'admin', via: 'supabase' });
  });

  for (const [what, shape] of REFUSED) {
    it(`refuses a correctly signed admin token with ${what}, at the verifier and at a route`, async () => {
      const bad = await forgedToken(shape);
      await expect(t.runtime.verifier.verify(bad)).rejects.toMatchObject({ code: 'unauthorized' });
      const res = await callRoute(pullRoute.POST, { method: 'POST', token: bad, body: { mode: 'incremental' } });
      expect(res.status).toBe(401);
    });
  }

  it('takes the audience from SUPABASE_JWT_AUDIENCE, and needs no issuer without SUPABASE_URL', async () => {
    const verifier = new TokenVerifier(parseConfig({ SUPABASE_JWT_SECRET: FORGED_SECRET, SUPABASE_JWT_AUDIENCE: 'desk' }));
    await expect(verifier.verify(await forgedToken({ aud: 'desk', iss: null }))).resolves.toMatchObject({ role: 'admin' });
    await expect(verifier.verify(await forgedToken({ aud: 'authenticated', iss: null }))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a demo token that never expires', async () => {
    const { appSecrets } = await import('../../drizzle/schema');
    const [row] = await t.runtime.db.select().from(appSecrets);
    const forever = await new SignJWT({ app_metadata: { role: 'admin' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('catalog-sync-desk/demo')
      .setAudience('authenticated')
      .setSubject('demo-admin')
      .setIssuedAt()
      .sign(new TextEncoder().encode(row!.value));
    await expect(t.runtime.verifier.verify(forever)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('demo sign-in in production', () => {
  it('is refused by the configuration, with a message naming the setting', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', DEV_AUTH: 'true' })).toThrowError(ConfigError);
    expect(() => parseConfig({ NODE_ENV: 'production', DEV_AUTH: 'true' })).toThrowError(/DEV_AUTH/);
    expect(parseConfig({ NODE_ENV: 'production', DEV_AUTH: 'true', DEV_AUTH_ALLOW_PRODUCTION: 'true' }).devAuth).toBe(true);
  });

  it('stops the server before it listens', async () => {
    const env = { ...process.env, NODE_ENV: 'production', DEV_AUTH: 'true', PORT: '0' } as NodeJS.ProcessEnv;
    for (const k of ['SUPABASE_URL', 'SUPABASE_JWT_SECRET', 'DEV_AUTH_ALLOW_PRODUCTION', 'DATABASE_URL']) delete env[k];
    const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onOutput = (d: Buffer) => {
      output += d;
      if (/listening on/.test(output)) child.kill('SIGKILL');
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).not.toMatch(/listening on/);
    expect(output).toMatch(/DEV_AUTH/);
    expect(code).toBe(1);
  });
});
