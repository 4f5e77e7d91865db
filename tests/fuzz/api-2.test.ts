import { defineApiFuzz } from './api-fuzz';

/** Half of the API routes (the other half is in the sibling file, so the two run in parallel). */
await defineApiFuzz(1, 2);
