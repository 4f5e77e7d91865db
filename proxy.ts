import { type NextRequest, NextResponse } from 'next/server';

/**
 * A fresh nonce per page request and a strict Content-Security-Policy built on it. Next reads the
 * nonce from the request's CSP header and puts it on its own hydration scripts, so no inline
 * script runs without it. Inline *style attributes* stay allowed: the virtualized lists position
 * rows with them, and nonces cannot cover attributes.
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const dev = process.env.NODE_ENV !== 'production';
  const supabase = process.env.SUPABASE_URL ? ` ${process.env.SUPABASE_URL}` : '';
  // Product images come from the store's CDN, or from any https host an image is added from by URL
  // (the review shows it before Shopify has it); the emulator serves its own over http.
  const adminUrl = process.env.SHOPIFY_ADMIN_URL;
  const emulatorImages = adminUrl && URL.canParse(adminUrl) ? ` ${new URL(adminUrl).origin}` : '';
  const csp = [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' blob: data: https:${emulatorImages}`,
    `font-src 'self'`,
    `connect-src 'self'${supabase}${dev ? ' ws: wss:' : ''}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api|metrics|socket.io|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
