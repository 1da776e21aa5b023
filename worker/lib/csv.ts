/**
 * CSV for the exports. Text cells that a spreadsheet would run as a formula (=, +, -, @,
 * tab, carriage return) get a leading apostrophe: nicknames are player-chosen.
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
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
