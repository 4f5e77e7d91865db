import { IMPORT_TARGET_LABELS, IMPORT_TARGETS, patternTarget, targetLabel } from '@/lib/sync/import-targets';
import { Button } from '../ui/controls';
import { Select } from '../ui/fields';
import type { ColumnMappingState, Mapping } from './use-column-mapping';

const TARGET_OPTIONS = IMPORT_TARGETS.map((t) => [t, IMPORT_TARGET_LABELS[t] ?? t] as const);

/** The fields a column can fill: the list, plus the stock column of a location its header or mapping names. */
function optionsFor(header: string, current: string | undefined) {
  const own = [...new Set([patternTarget(header), current])].filter((t): t is string => Boolean(t) && !IMPORT_TARGETS.includes(t!));
  return [...own.map((t) => [t, targetLabel(t)] as const), ...TARGET_OPTIONS];
}

/**
 * A field for every column of the file, the key column where several hold one, the location of
 * quantities whose row names none, and a check with these columns.
 */
export function ColumnMapping({
  columns,
  mapping,
  locations,
  location,
  canCheck,
  onLocation,
  onCheck,
}: {
  /** The file's columns as useColumnMapping holds them; `mapping` is given apart, once it exists. */
  columns: Pick<ColumnMappingState, 'headers' | 'keyColumn' | 'keyOptions' | 'assign' | 'setKeyColumn'>;
  mapping: Mapping;
  locations: ReadonlyArray<{ id: string; name: string }>;
  location: string;
  canCheck: boolean;
  onLocation: (id: string) => void;
  onCheck: () => void;
}) {
  const { headers, keyColumn, keyOptions, assign: onAssign, setKeyColumn: onKeyColumn } = columns;
  const quantities = Object.values(mapping).includes('available') && locations.length > 0;
  return (
    <fieldset className="space-y-2" data-testid="import-mapping">
      <legend className="text-sm font-semibold text-slate-800">Columns</legend>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {headers.map((h) => (
          <label key={h} className="flex items-center gap-2 text-sm">
            <span className="w-36 truncate font-mono text-xs text-slate-700" title={h}>
              {h}
            </span>
            <Select
              className="min-w-0 flex-1"
              value={mapping[h] ?? ''}
              aria-label={`Field for column ${h}`}
              empty="Ignore"
              options={optionsFor(h, mapping[h])}
              onValue={(target) => onAssign(h, target)}
            />
          </label>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {keyOptions.length > 1 ? (
          <label className="flex items-center gap-2">
            Find products by
            <Select
              value={keyColumn}
              onValue={onKeyColumn}
              aria-label="Key column"
              empty="Handle if mapped, else SKU"
              options={keyOptions.map((h) => [h, h] as const)}
            />
          </label>
        ) : null}
        {quantities ? (
          <label className="flex items-center gap-2">
            Quantities without a location are for
            <Select
              value={location}
              onValue={onLocation}
              aria-label="Location of the quantities"
              empty="No location picked"
              options={locations.map((l) => [l.id, l.name] as const)}
              data-testid="import-location"
            />
          </label>
        ) : null}
        <Button disabled={!canCheck} onClick={onCheck} data-testid="import-recheck-button">
          Check again with these columns
        </Button>
      </div>
    </fieldset>
  );
}
