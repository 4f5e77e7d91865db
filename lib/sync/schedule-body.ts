import { z } from 'zod';

/** An instant with its offset (UTC `Z` or `+02:00`), as the browser's `toISOString()` sends it. */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
