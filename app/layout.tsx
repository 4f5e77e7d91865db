import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { HydrationMarker } from '@/components/hydration-marker';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Catalog Sync Desk', template: '%s · Catalog Sync Desk' },
  description: 'Review and approve every catalog change between your product master and Shopify.',
  // The files live in public/ and are written by scripts/icons.mjs.
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: { url: '/apple-touch-icon.png', sizes: '180x180' },
  },
  manifest: '/manifest.webmanifest',
};

/** The emerald of the app's mark, for the browser's own bars. */
export const viewport: Viewport = { themeColor: '#059669' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <HydrationMarker />
        {children}
      </body>
    </html>
  );
}
