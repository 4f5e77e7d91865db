import { parse } from 'csv-parse/sync';
import { unescapeCell } from '../../../lib/csv';
import { AppError } from '../../../lib/errors';
import { type ImportTarget, patternTarget, squashHeader, TARGET_HEADERS } from '../../../lib/sync/import-targets';

/**
 * Reading a CSV (Shopify's product export, a supplier's list): encoding (UTF-8, or Windows-1252 as
 * a whole; a mix is refused), delimiter, header row, column mapping suggested from the headers, and
 * locale-tolerant numbers. Cells we escaped against formulas when writing them are read back as
 * they were (lib/csv.ts).
 */

/** header -> target, from the headers alone; each target is used once. */
export function suggestMapping(headers: string[]): Record<string, ImportTarget> {
  const out: Record<string, ImportTarget> = {};
  const used = new Set<ImportTarget>();
  for (const header of headers) {
    const key = squashHeader(header);
    const pattern = patternTarget(header);
    const target = pattern
      ? used.has(pattern)
        ? undefined
        : pattern
      : TARGET_HEADERS.find(([t, names]) => !used.has(t) && names.includes(key))?.[0];
    if (target) {
      out[header] = target;
      used.add(target);
    }
  }
  return out;
}

/** Decodes the file: UTF-8 (with or without BOM) or Windows-1252 throughout; a mix is an error. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  if (bytes.length === 0) throw new AppError('validation:empty_file', 'The file is empty');
  if (bytes.includes(0))
    throw new AppError('validation:not_csv', 'This is not a CSV file (it contains binary data); export the sheet as CSV and try again');
  let validMulti = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const len = b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    let ok = len > 0 && i + len <= bytes.length;
    for (let j = 1; ok && j < len; j++) ok = (bytes[i + j]! & 0xc0) === 0x80;
    if (ok) {
      validMulti++;
      i += len - 1;
    } else invalid++;
  }
  if (invalid > 0 && validMulti > 0) {
    throw new AppError(
      'validation:mixed_encoding',
      'The file mixes text encodings (some rows are UTF-8, others are not); save it again as UTF-8 CSV',
      { utf8Sequences: validMulti, otherBytes: invalid },
    );
  }
  if (invalid > 0) return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  return { text: new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

export interface ParsedCsv {
  headers: string[];
  rows: string[][];
  encoding: string;
  delimiter: string;
}

export function parseCsv(bytes: Uint8Array): ParsedCsv {
  const { text, encoding } = decodeCsv(bytes);
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (err) {
    throw new AppError('validation:not_csv', `This file could not be read as CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new AppError('validation:empty_file', 'The file has no rows');
  const headers = records[0]!.map((h) => h.trim());
  if (headers.some((h) => h === '') || new Set(headers).size !== headers.length) {
    throw new AppError('validation:bad_header', 'The first row must name every column once (a header row)', { headers });
  }
  return { headers, rows: records.slice(1).map((cells) => cells.map(unescapeCell)), encoding, delimiter };
}

/**
 * "1.234,50" -> "1234.50", "$12" -> "12", "1,234.50" -> "1234.50", "12,5" -> "12.5".
 * Returns null for an unreadable number.
 */
export function normalizeNumber(raw: string): string | null {
  let s = raw.replace(/[\s\u00a0']/g, '').replace(/^[^\d\-.,]+|[^\d.,]+$/g, '');
  if (s === '' || !/^-?[\d.,]+$/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    s = s.split(thousands).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    const parts = s.split(',');
    s =
      parts.length > 2 || (parts.length === 2 && parts[1]!.length === 3 && parts[0] !== '0' && parts[0] !== '-0')
        ? parts.join('')
        : s.replace(',', '.');
  } else if (lastDot >= 0 && s.split('.').length > 2) {
    s = s.split('.').join('');
  }
  return /^-?\d+(\.\d+)?$/.test(s) ? s : null;
}

export function normalizeBoolean(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (['true', 'yes', 'y', '1', 'ja', 'oui', 'x'].includes(v)) return true;
  if (['false', 'no', 'n', '0', 'nein', 'non', ''].includes(v)) return false;
  return null;
}
