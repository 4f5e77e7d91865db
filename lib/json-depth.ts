/**
 * Whether JSON text nests arrays and objects deeper than `max`, by one scan of the text (strings
 * skipped, escapes honoured). Run before parsing: a body nested thousands deep otherwise reaches
 * recursive code (JSON.stringify, Postgres's jsonb input, which answers "stack depth limit
 * exceeded") and fails as a server error instead of a refused request.
 */
export function jsonNestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
