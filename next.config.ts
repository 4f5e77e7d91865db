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

/** API answers are data, never documents: nothing may run, load or frame them. */
const apiHeaders = [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }];

const config: NextConfig = {
  reactStrictMode: true,
  // A second build (the secret scan in tests/security) goes to its own folder and leaves .next alone.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  serverExternalPackages,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: apiHeaders },
      { source: '/metrics', headers: apiHeaders },
    ];
  },
};

export default config;
