import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ShopState } from './state';

/**
 * The catalog kept in a file, so that an emulator restarted beside a kept master (the demo's
 * DATA_DIR) is the same shop, not a fresh seed the master silently disagrees with. The file holds
 * every own property of the ShopState: the records, and its id counters and clock (ids are never
 * reused, time never goes back). Logs, bulk operations and idempotency keys live in the core and
 * are not kept (a restarted shop has none in flight).
 */
const FORMAT = 1;
const SAVE_EVERY_MS = 5_000;

type Stored = { format: number; state: Record<string, unknown> };

/** Maps and Sets (records keep their children in them) as tagged arrays. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value.entries()] };
  if (value instanceof Set) return { $set: [...value] };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as { $map?: Array<[unknown, unknown]>; $set?: unknown[] };
    if (tagged.$map) return new Map(tagged.$map);
    if (tagged.$set) return new Set(tagged.$set);
  }
  return value;
}

export function serializeState(state: ShopState): string {
  const { version: _version, ...records } = state as unknown as Record<string, unknown>;
  const stored: Stored = { format: FORMAT, state: records };
  return JSON.stringify(stored, replacer);
}

/** Replaces `state`'s catalog with the serialized one. */
export function restoreState(state: ShopState, text: string): void {
  const stored = JSON.parse(text, reviver) as Stored;
  if (stored.format !== FORMAT) throw new Error(`emulator state file format ${stored.format} is not ${FORMAT}`);
  Object.assign(state, new ShopState(), stored.state);
  state.touch();
}

/** The catalog's file: loaded at start when there is one, saved every few seconds when it changed, and on close. */
export class StateFile {
  private timer?: NodeJS.Timeout;
  private savedVersion = -1;

  constructor(
    readonly path: string,
    private readonly state: ShopState,
  ) {}

  /** True when the file existed and its catalog is now the state's. */
  load(): boolean {
    if (!existsSync(this.path)) return false;
    restoreState(this.state, readFileSync(this.path, 'utf8'));
    this.savedVersion = this.state.version;
    return true;
  }

  /** Written to a temporary file first, then renamed over the old one: a crash mid-write keeps the last whole catalog. */
  save(): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, serializeState(this.state));
    renameSync(temporary, this.path);
    this.savedVersion = this.state.version;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.state.version !== this.savedVersion) this.save();
    }, SAVE_EVERY_MS);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.save();
  }
}
