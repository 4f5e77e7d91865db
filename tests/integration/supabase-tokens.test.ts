import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/env';
import { TokenVerifier } from '../../server/auth/tokens';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
let jwksServer: Server;
let supabaseUrl: string;
let privateKey: CryptoKey;
let jwksHits = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwksServer = createServer((req, res) => {
    if (req.url === '/auth/v1/.well-known/jwks.json') {
      jwksHits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  supabaseUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => jwksServer.close(() => r())));

const supabaseClaims = (role?: string) => ({
  aud: 'authenticated',
  role: 'authenticated',
  email: 'lee@shop.example',
  app_metadata: role ? { provider: 'email', role } : { provider: 'email' },
  user_metadata: { full_name: 'Lee Shop' },
});

describe('Supabase access tokens', () => {
  it('verifies HS256 tokens with SUPABASE_JWT_SECRET and takes the role from app_metadata', async () => {
    const verifier = new TokenVerifier(parseConfig({ SUPABASE_JWT_SECRET: SECRET }));
    const token = await new SignJWT(supabaseClaims('merchandiser'))
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifier.verify(token)).resolves.toEqual({
      id: 'user-1',
      email: 'lee@shop.example',
      name: 'Lee Shop',
      role: 'merchandiser',
      via: 'supabase',
    });
  });

  it('refuses a Supabase token without a role, even when correctly signed', async () => {
    const verifier = new TokenVerifier(parseConfig({ SUPABASE_JWT_SECRET: SECRET }));
    const token = await new SignJWT(supabaseClaims())
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-2')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('no role') });
  });

  it('verifies asymmetric tokens against the project JWKS when only SUPABASE_URL is set', async () => {
    const verifier = new TokenVerifier(parseConfig({ SUPABASE_URL: supabaseUrl }));
    const token = await new SignJWT(supabaseClaims('support'))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(`${supabaseUrl}/auth/v1`)
      .setSubject('user-3')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'user-3', role: 'support', via: 'supabase' });
    expect(jwksHits).toBeGreaterThan(0);
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT(supabaseClaims('admin'))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(`${supabaseUrl}/auth/v1`)
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(other.privateKey);
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not accept demo tokens when demo sign-in is off', async () => {
    const verifier = new TokenVerifier(parseConfig({ SUPABASE_JWT_SECRET: SECRET }));
    const fake = await new SignJWT({ app_metadata: { role: 'admin' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('catalog-sync-desk/demo')
      .setSubject('demo-admin')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifier.verify(fake)).rejects.toMatchObject({ code: 'unauthorized', message: 'Demo sign-in is not enabled' });
  });
});
