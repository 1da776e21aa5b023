/**
 * The statement builder of the Postgres writer (pgWriter.ts): one set-based
 * `INSERT ... SELECT FROM jsonb_to_recordset($1)` per chunk of rows, with its conflict
 * rule, so every kind binds one parameter however many rows it writes.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import type { OutboxKind } from "./outboxTypes.ts";
import type { Insert, Planned, Src } from "./pgWriter.ts";

/** Most rows in one statement's JSON... */
export const MAX_ROWS_PER_STATEMENT = 500;
/** ...and most UTF-8 bytes of it, whichever limit comes first (a row larger than this goes alone). */
export const MAX_JSON_BYTES_PER_STATEMENT = 1_000_000;

interface JsonWriteOptions<T extends PgTable> {
  /** Columns of the table this kind does not write (they keep their stored value). */
  omit?: (keyof Insert<T> & string)[];
  /**
   * Absent: ON CONFLICT DO NOTHING. Present: ON CONFLICT (primary key) DO UPDATE SET each
   * column in `set` (default: every written column outside the key) to the proposed
   * value, only WHERE `where` holds (it compares the stored row with `excluded`).
   */
  update?: { set?: PgColumn[]; where: SQL };
}

/**
 * Plans `insert into <table> (...) select ... from jsonb_to_recordset($1::jsonb) ...` for
 * `values`, one statement per chunk of at most MAX_ROWS_PER_STATEMENT rows and
 * MAX_JSON_BYTES_PER_STATEMENT bytes.
 *
 * The JSON keys are drizzle's property names (the record's own keys), declared in the
 * recordset with the Postgres type of their column, so jsonb values are cast exactly as
 * bound parameters were: bigint stays exact (every value is far below 2^53), a jsonb
 * column receives the nested JSON, and a missing or null key is NULL (a NOT NULL column
 * then fails the batch).
 */
export function insertFromJson<T extends PgTable>(
  kind: OutboxKind,
  table: T,
  values: Src<T>[],
  out: Planned[],
  opts: JsonWriteOptions<T> = {},
): void {
  if (values.length === 0) return;
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const cols = Object.fromEntries(Object.entries(all).filter(([key]) => !opts.omit?.includes(key as never)));
  const names = sql.join(
    Object.values(cols).map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  const fromRecord = sql.join(
    Object.keys(cols).map((key) => sql`r.${sql.identifier(key)}`),
    sql`, `,
  );

  let conflict: SQL;
  if (opts.update) {
    const key = primaryKeyOf(table);
    const keyNames = new Set(key.map((c) => c.name));
    const set = opts.update.set ?? Object.values(cols).filter((c) => !keyNames.has(c.name));
    conflict = sql`on conflict (${sql.join(
      key.map((c) => sql.identifier(c.name)),
      sql`, `,
    )}) do update set ${sql.join(
      set.map((c) => sql`${sql.identifier(c.name)} = ${excluded(c)}`),
      sql`, `,
    )} where ${opts.update.where}`;
  } else {
    conflict = sql`on conflict do nothing`;
  }

  for (const chunk of jsonChunks(values)) {
    out.push({
      kind,
      rows: chunk.rows,
      jsonBytes: chunk.bytes,
      outboxIds: chunk.outboxIds,
      query: sql`insert into ${table} (${names}) select ${fromRecord} from jsonb_to_recordset(${chunk.json}::jsonb) as r(${recordDef(cols)}) ${conflict}`,
    });
  }
}

/** `excluded."column"`: the value the conflicting insert proposed. */
export function excluded(column: PgColumn): SQL {
  return sql`excluded.${sql.identifier(column.name)}`;
}

/** `"key" type, ...`: the recordset's column definitions, typed like the table's columns. */
export function recordDef(cols: Record<string, PgColumn>): SQL {
  return sql.join(
    Object.entries(cols).map(([key, c]) => sql`${sql.identifier(key)} ${sql.raw(c.getSQLType())}`),
    sql`, `,
  );
}

/** The table's primary key columns: a composite key, else the column marked primaryKey(). */
function primaryKeyOf(table: PgTable): PgColumn[] {
  const cfg = getTableConfig(table);
  const key = cfg.primaryKeys[0]?.columns ?? cfg.columns.filter((c) => c.primary);
  if (key.length === 0) throw new Error(`table ${cfg.name} has no primary key to upsert on`);
  return key;
}

interface JsonChunk {
  json: string;
  rows: number;
  bytes: number;
  outboxIds: [number, number];
}

/**
 * Serialises records into JSON arrays of at most MAX_ROWS_PER_STATEMENT rows and
 * MAX_JSON_BYTES_PER_STATEMENT UTF-8 bytes each (a single larger row goes alone).
 */
export function jsonChunks(records: { id: number; value: object }[]): JsonChunk[] {
  const out: JsonChunk[] = [];
  let parts: string[] = [];
  let bytes = 2; // "[" and "]"
  let lo = Infinity;
  let hi = -Infinity;
  const flush = () => {
    out.push({
      json: `[${parts.join(",")}]`,
      rows: parts.length,
      bytes: bytes + parts.length - 1,
      outboxIds: [lo, hi],
    });
    parts = [];
    bytes = 2;
    lo = Infinity;
    hi = -Infinity;
  };
  for (const { id, value } of records) {
    const json = JSON.stringify(value);
    const size = utf8Length(json);
    // +1 for the comma before this row.
    if (
      parts.length > 0 &&
      (parts.length >= MAX_ROWS_PER_STATEMENT || bytes + parts.length + size > MAX_JSON_BYTES_PER_STATEMENT)
    )
      flush();
    parts.push(json);
    bytes += size;
    lo = Math.min(lo, id);
    hi = Math.max(hi, id);
  }
  if (parts.length > 0) flush();
  return out;
}

/** UTF-8 length of a string (JSON.stringify leaves non-ASCII characters unescaped). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    // 2 bytes below U+0800; each half of a surrogate pair 2 (4 for the pair); else 3.
    n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}
