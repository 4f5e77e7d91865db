/** The local Shopify for tests and benchmarks (server/emulator), re-exported where helpers look for it. */
export { startEmulator, type Emulator } from '../../server/emulator';
