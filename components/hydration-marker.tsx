'use client';

import { useEffect } from 'react';

/**
 * Marks the document interactive once React has hydrated it (`<html data-hydrated>`): a click
 * before then lands on server HTML without its handlers. Browser tests wait for it.
 */
export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return null;
}
