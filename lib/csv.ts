import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer (server exports and the browser's error report alike). Every cell passes
 * through `spreadsheetSafe`: a cell that begins with = + - @ (or a tab or carriage return) is run
 * as a formula by Excel, LibreOffice and Sheets, so a product title like `=HYPERLINK(...)` from
 * Shopify or a supplier's file would become a live link or command in a reviewer's spreadsheet.
 * It is written with a leading apostrophe, which spreadsheets show as text; the import strips it
 * again (`unescapeCell`), so a file we wrote reads back as the values it holds.
 */

const FORMULA_LEAD = /^[=+\-@\t\r]/;
/** A plain number (a negative price, a stock delta) is data, not a formula: it keeps its sign. */
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

/** The cell as text a spreadsheet shows as is: formula-leading text gets a leading apostrophe. */
export function spreadsheetSafe(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_LEAD.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** A cell as we wrote it back to its value (the apostrophe spreadsheetSafe added goes). */
export function unescapeCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_LEAD.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * Rows (the header row first, when there is one) as RFC 4180 text with CRLF line ends, every cell
 * spreadsheet-safe. Quoted besides what csv-stringify quotes: a cell with space at either end
 * (readers trim unquoted cells) and one with a lone line break.
 */
export function csvText(rows: ReadonlyArray<readonly unknown[]>): string {
  return stringify(
    rows.map((r) => r.map(spreadsheetSafe)),
    { record_delimiter: 'windows', quoted_match: [/^\s|\s$/, /[\r\n]/] },
  );
}

/** A header and its rows as CSV text (csvText). */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return csvText([header, ...rows]);
}
