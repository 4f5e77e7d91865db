/** The emulator CLI under scripts/, as some callers start it (`tsx scripts/emulator.ts --port …`); same flags as `npm run emulator`. */
import '../server/emulator/cli';
