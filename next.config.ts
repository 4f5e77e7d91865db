import type { NextConfig } from 'next';
import { API_HEADERS, SECURITY_HEADERS } from './lib/security-headers';

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

const config: NextConfig = {
  reactStrictMode: true,
  // A second build (the secret scan in tests/security) goes to its own folder and leaves .next alone.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  serverExternalPackages,
  async headers() {
    return [
      { source: '/:path*', headers: [...SECURITY_HEADERS] },
      { source: '/api/:path*', headers: [...API_HEADERS] },
      { source: '/metrics', headers: [...API_HEADERS] },
    ];
  },
};

export default config;
