/**
 * The CSV downloads: every export's columns, the response (type, download name, the rows
 * encoded by lib/csv.ts) and its OpenAPI description, in one place, so a live export and
 * its archived twin cannot disagree on a column or a header.
 */
import { toCsv } from "../lib/csv";

export type CsvCell = string | number | null;

/** The header row of each export. Clients and spreadsheets key on these names. */
export const CSV_COLUMNS = {
  fills: ["fill_id", "order_id", "player", "symbol", "side", "qty", "price", "fee", "time"],
  /** A player's own trades (GET /api/markets/:code/me/fills.csv). */
  myFills: ["fill_id", "order_id", "symbol", "side", "qty", "price", "value", "fee", "time"],
  standings: ["rank", "player", "cash", "net_worth", "return_pct"],
  /** Final standings from the history, which keeps no return. */
  archivedStandings: ["rank", "player", "cash", "net_worth"],
} as const satisfies Record<string, readonly string[]>;

export type CsvExport = keyof typeof CSV_COLUMNS;

const CONTENT_TYPE = "text/csv; charset=utf-8";

/** The header row of an export, for the encoders. */
export const csvHeader = (kind: CsvExport): string[] => [...CSV_COLUMNS[kind]];

/**
 * The export as a download named `filename`: rows (each with a cell per column), or a body
 * already streaming the CSV page by page (worker/exports/, for exports of any size).
 */
export function csvResponse(
  kind: CsvExport,
  filename: string,
  body: CsvCell[][] | ReadableStream<Uint8Array>,
): Response {
  return new Response(Array.isArray(body) ? toCsv(csvHeader(kind), body) : body, {
    headers: { "Content-Type": CONTENT_TYPE, "Content-Disposition": `attachment; filename="${filename}"` },
  });
}

/** The OpenAPI response of a CSV export, for the route's description. */
export function csvResponseDoc(kind: CsvExport) {
  return {
    description: `CSV with the columns ${CSV_COLUMNS[kind].join(", ")} (CRLF line ends; text cells that a spreadsheet would run as a formula start with an apostrophe).`,
    headers: {
      "Content-Disposition": {
        description: 'attachment; filename="<code>-<export>.csv"',
        schema: { type: "string" as const },
      },
    },
    content: { "text/csv": { schema: { type: "string" as const }, example: CSV_COLUMNS[kind].join(",") + "\r\n" } },
  };
}
