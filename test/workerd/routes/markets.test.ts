import { describe, expect, it } from "vitest";
import { ADMIN, api, SYMBOLS, uniqueCode } from "../../support/workerd";

function expectError(res: { status: number; json: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.error.code).toBe(code);
}

/** Creates a market in the lobby and returns its list key. */
async function create(): Promise<{ code: string; createdAt: number }> {
  const code = uniqueCode("L");
  const res = await api("POST", "/api/markets", {
    token: ADMIN,
    body: { code, name: `List ${code}`, startingCash: 1000, tickMs: 60000, symbols: SYMBOLS },
  });
  expect(res.status, res.text).toBe(201);
  return { code, createdAt: res.json.market.createdAt };
}

/** Newest first; the code breaks ties within a millisecond. */
function newestFirst(a: { code: string; createdAt: number }, b: { code: string; createdAt: number }): number {
  return b.createdAt - a.createdAt || (a.code < b.code ? 1 : a.code > b.code ? -1 : 0);
}

async function page(query: string) {
  const res = await api("GET", `/api/markets${query}`, { token: ADMIN });
  expect(res.status, res.text).toBe(200);
  return res.json as { markets: { code: string; createdAt: number }[]; next: string | null };
}

// Storage is per file, so the registry holds exactly the markets this file creates.
describe("GET /api/markets pages the organiser's list", () => {
  it("walks every market exactly once, newest first, and a market created between pages neither repeats nor hides another", async () => {
    const existing: { code: string; createdAt: number }[] = [];
    for (let i = 0; i < 7; i++) existing.push(await create());
    const expected = existing.sort(newestFirst).map((m) => m.code);

    const first = await page("?limit=3");
    expect(first.markets).toHaveLength(3);
    expect(first.next).toEqual(expect.any(String));
    const second = await page(`?limit=3&cursor=${encodeURIComponent(first.next!)}`);
    expect(second.markets).toHaveLength(3);

    // A market created mid-walk is the newest: it belongs on a fresh first page, and with
    // an offset it would have pushed the sixth market onto page three a second time.
    const late = await create();
    const third = await page(`?limit=3&cursor=${encodeURIComponent(second.next!)}`);
    expect(third.next).toBeNull();

    const walked = [...first.markets, ...second.markets, ...third.markets].map((m) => m.code);
    expect(walked).toEqual(expected);
    expect(new Set(walked).size).toBe(walked.length);

    const fresh = await page("?limit=3");
    expect(fresh.markets[0].code).toBe(late.code);
    expect(fresh.markets.slice(1).map((m) => m.code)).toEqual(expected.slice(0, 2));
  }, 30_000);

  it("answers {markets, next} without parameters, next null when everything fits", async () => {
    const all = await page("");
    expect(all.markets.length).toBeGreaterThan(0);
    expect(all.markets.length).toBeLessThanOrEqual(100);
    expect(all.next).toBeNull();
    expect([...all.markets].sort(newestFirst)).toEqual(all.markets);
  });

  it("refuses a limit outside 1-500 or a cursor it did not hand out with 400 VALIDATION", async () => {
    for (const q of ["?limit=0", "?limit=501", "?limit=2.5", "?limit=abc"]) {
      const res = await api("GET", `/api/markets${q}`, { token: ADMIN });
      expectError(res, 400, "VALIDATION");
      expect(res.json.error.details[0].field, q).toBe("limit");
    }
    const forged = btoa("1700000000000.ab");
    for (const q of [
      "?cursor=",
      "?cursor=not-a-cursor",
      `?cursor=${forged}`,
      `?cursor=${"A".repeat(65)}`,
      "?cursor=%E2%98%83",
    ]) {
      const res = await api("GET", `/api/markets${q}`, { token: ADMIN });
      expectError(res, 400, "VALIDATION");
      expect(res.json.error.details[0].field, q).toBe("cursor");
    }
  });
});
