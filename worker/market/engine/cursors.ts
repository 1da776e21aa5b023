/**
 * Ids of orders and fills are a letter and a running number ("o12", "f7"). A page cursor
 * is the id of the last item of the previous page; anything else starts from the newest.
 */
export type CursorKind = "o" | "f";

/** The running number in a cursor of `kind`, or null for no (or a malformed) cursor. */
export function cursorNo(kind: CursorKind, cursor: string | null): number | null {
  if (cursor === null || cursor.length < 2 || cursor[0] !== kind) return null;
  return /^\d+$/.test(cursor.slice(1)) ? Number(cursor.slice(1)) : null;
}

/** Cuts `rows` (fetched with one extra row) to a page of `limit` and the next cursor. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { page: T[]; next: string | null } {
  const page = rows.slice(0, limit);
  return { page, next: rows.length > limit ? page[page.length - 1].id : null };
}
