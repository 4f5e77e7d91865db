import type { NextConfig } from 'next';

/** Packages with native parts, wasm or their own lifecycle are loaded by Node, not bundled. */
const serverExternalPackages = [
  '@electric-sql/pglite',
  'postgres',
  'pg',
  'pg-boss',
  'drizzle-orm',
  'socket.io',
  '@socket.io/postgres-adapter',
  'pino',
  'prom-client',
  'graphql',
  'csv-parse',
];

const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default config;
