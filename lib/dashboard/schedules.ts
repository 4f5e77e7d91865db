/**
 * Times of schedules as people read and enter them: stored in UTC, shown in the browser's zone with
 * the zone named, entered with a datetime-local input (the browser's zone, no offset).
 */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Fri 12 Dec, 00:00 GMT+1": weekday, date and time (seconds when it has them) in the browser zone, the zone named. */
export function formatWhen(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    // Seconds only where a time has them (a schedule a few seconds ahead), so two times a minute apart never read alike.
    ...(date.getSeconds() ? { second: '2-digit' as const } : {}),
    timeZoneName: 'short',
    timeZone,
  }).format(date);
}

/** A datetime-local value ("2026-12-12T00:00", the browser's zone) as an ISO instant; null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a datetime-local value in the browser's zone (seconds kept, so near times can be entered). */
export function isoToLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
