/**
 * CSV for the exports. Text cells that a spreadsheet could run as a formula get a leading
 * apostrophe (the "this is text" marker of Excel, LibreOffice Calc and Google Sheets):
 * nicknames are player-chosen.
 */
export type CsvCell = string | number | null;

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return csvLines([header, ...rows]);
}

/** Rows as CSV lines, each ending in CRLF: pages of one export joined together are one valid file. */
export function csvLines(rows: CsvCell[][]): string {
  let out = "";
  for (const row of rows) out += row.map(cell).join(",") + "\r\n";
  return out;
}

function cell(value: CsvCell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = looksLikeFormula(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * What counts as a formula start, erring on the side of an apostrophe too many (it costs
 * one character on an odd nickname; a miss runs the organiser's spreadsheet):
 *
 * - `=`, `+`, `-`, `@` first: all three spreadsheets (OWASP "CSV Injection").
 * - Tab, CR or LF first: OWASP's testing guide lists them too; importers that drop them
 *   leave whatever follows as the start of the cell.
 * - Any of those after leading whitespace (spaces, no-break and ideographic spaces, BOM):
 *   LibreOffice's import can trim spaces ("Trim spaces"), and so do clean-up steps.
 * - Full-width `＝＋－＠` (U+FF1D, U+FF0B, U+FF0D, U+FF20): Excel with an East-Asian
 *   input setting reads them as `= + - @` (OWASP's testing guide, "double-byte
 *   variants"). Rather than list forms, the first character is NFKC-normalised, which
 *   also folds the small forms `﹦﹢﹣﹫` (U+FE66, U+FE62, U+FE63, U+FE6B) and the
 *   super/subscript `⁼⁺⁻₌₊₋` onto `= + - @`.
 * - U+2212 MINUS SIGN, which NFKC leaves alone: spreadsheets that accept it as a minus
 *   in typed numbers may accept it at the start of a formula, so it is guarded too.
 *
 * Not guarded: `|` and `%`, which only matter after a leading `=` (DDE), which is caught.
 */
export function looksLikeFormula(value: string): boolean {
  if (/^[\t\r\n]/.test(value)) return true;
  const first = value.replace(/^[\s\u0000-\u001f\u007f]+/u, "").codePointAt(0);
  if (first === undefined) return false;
  return /^[=+\-@\u2212]/.test(String.fromCodePoint(first).normalize("NFKC"));
}
