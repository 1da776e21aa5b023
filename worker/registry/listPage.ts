/**
 * Paging of the organiser's market list (`GET /api/markets?limit=&cursor=`).
 *
 * Newest first, ordered by (createdAt, code) descending: the code breaks ties between
 * markets created in the same millisecond, so the order is total and a page boundary
 * always falls between two definite markets. The cursor is the key of the last market
 * of a page, and the next page is everything strictly below it (keyset paging, not an
 * offset), so a market created while someone pages sorts above every cursor: it never
 * shifts later pages (no repeats, no gaps) and appears on the first page of a new walk.
 */
import * as z from "zod";
import { MARKET_CODE_RE } from "../shared/protocol";

export const MARKETS_PAGE_DEFAULT = 100;
export const MARKETS_PAGE_MAX = 500;

export interface ListKey {
  createdAt: number;
  code: string;
}

/** Opaque to clients: base64url of "createdAt.code". */
export function encodeCursor(key: ListKey): string {
  return btoa(`${key.createdAt}.${key.code}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): ListKey | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const m = /^(\d{1,16})\.([A-Z0-9]+)$/.exec(text);
  if (m === null || !MARKET_CODE_RE.test(m[2])) return null;
  const createdAt = Number(m[1]);
  return Number.isSafeInteger(createdAt) ? { createdAt, code: m[2] } : null;
}

export const MarketsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MARKETS_PAGE_MAX).optional(),
  /** The `next` of the previous page. */
  cursor: z
    .string()
    .max(64)
    .transform((s, ctx) => {
      const key = decodeCursor(s);
      if (key === null)
        ctx.addIssue({ code: "custom", message: "not a cursor from this list; use the `next` of the previous page" });
      return key ?? z.NEVER;
    })
    .optional(),
});
