/**
 * CSV for the exports. Text cells that a spreadsheet would run as a formula (=, +, -, @,
 * tab, carriage return) get a leading apostrophe: nicknames are player-chosen.
 */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const lines = [header.map(cell).join(",")];
  for (const row of rows) lines.push(row.map(cell).join(","));
  return lines.join("\r\n") + "\r\n";
}

function cell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
