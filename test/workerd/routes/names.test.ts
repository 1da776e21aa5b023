/**
 * Nicknames and other text through the real routes and the market's SQLite: what cannot
 * be stored faithfully is refused, and names that look alike are one name.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createMarket, join, order, SYMBOLS, uniqueCode, stubOf } from "../../support/workerd";

const cp = (...points: number[]) => String.fromCodePoint(...points);
const LONE_SURROGATE = "\ud800";

function expectValidation(res: { status: number; json: any }, field: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(400);
  expect(res.json.error.code).toBe("VALIDATION");
  expect(res.json.error.details.map((d: any) => d.field)).toContain(field);
}

async function playerNames(code: string): Promise<string[]> {
  const res = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
  expect(res.status, res.text).toBe(200);
  return res.json.players.map((p: any) => p.name).sort();
}

const tryJoin = (code: string, name: string) => api("POST", `/api/markets/${code}/join`, { body: { name } });

describe("a name that is not well-formed text", () => {
  it("is refused with 400 naming the field, and valid joins go on working, also after a restart", async () => {
    const code = await createMarket();
    // JSON.stringify keeps the lone half as the escape "\ud800", as a client could send it.
    expectValidation(await tryJoin(code, LONE_SURROGATE), "name");
    expectValidation(await tryJoin(code, "Ann" + LONE_SURROGATE), "name");
    await join(code, "Ann");
    // The object reloads everything from SQLite; before, the stored name came back as
    // U+FFFD U+FFFD U+FFFD and the same join then failed on the unique index with 500.
    await evictDurableObject(stubOf(code));
    expectValidation(await tryJoin(code, LONE_SURROGATE), "name");
    await join(code, "Ben");
    expect(await playerNames(code)).toEqual(["Ann", "Ben"]);
  });
});

describe("a name that looks like one already taken", () => {
  const lookAlikes: [string, string][] = [
    ["a zero-width space (U+200B)", "Ali" + cp(0x200b) + "ce"],
    ["a zero-width joiner (U+200D)", "Al" + cp(0x200d) + "ice"],
    ["a soft hyphen (U+00AD)", "Ali" + cp(0x00ad) + "ce"],
    ["a word joiner (U+2060)", "Alice" + cp(0x2060)],
    ["variation selector 16 (U+FE0F)", "Alice" + cp(0xfe0f)],
    ["a Cyrillic capital A (U+0410)", cp(0x0410) + "lice"],
    ["full-width letters", cp(0xff21, 0xff4c, 0xff49, 0xff43, 0xff45)],
    ["a combining acute accent (U+0301)", "Alice" + cp(0x0301)],
    ["mathematical bold letters", cp(0x1d400, 0x1d425, 0x1d422, 0x1d41c, 0x1d41e)],
  ];

  it("is NAME_TAKEN for each of nine spellings of Alice, before and after a restart", async () => {
    const code = await createMarket();
    await join(code, "Alice");
    for (const [how, name] of lookAlikes) {
      const res = await tryJoin(code, name);
      expect(res.status, `${how}: ${res.text}`).toBe(409);
      expect(res.json.error.code).toBe("NAME_TAKEN");
    }
    await evictDurableObject(stubOf(code));
    for (const [how, name] of lookAlikes) expect((await tryJoin(code, name)).status, how).toBe(409);
    expect(await playerNames(code)).toEqual(["Alice"]);
  });

  it("joins under the name as shown: normalised and without invisible characters", async () => {
    const code = await createMarket();
    const res = await tryJoin(code, " Ｂｅｎ" + cp(0x200b) + " ");
    expect(res.status, res.text).toBe(201);
    expect(res.json.player.name).toBe("Ben");
    expect(await playerNames(code)).toEqual(["Ben"]);
  });
});

describe("a name that shows nothing", () => {
  it.each([
    ["a zero-width space (U+200B)", cp(0x200b)],
    ["a braille blank (U+2800)", cp(0x2800)],
    ["a Hangul filler (U+3164)", cp(0x3164)],
    ["a right-to-left override (U+202E)", cp(0x202e)],
    ["Hangul fillers (U+115F U+1160)", cp(0x115f, 0x1160)],
    ["a half-width Hangul filler (U+FFA0)", cp(0xffa0)],
    ["a soft hyphen and a word joiner (U+00AD U+2060)", cp(0x00ad, 0x2060)],
    ["bidirectional marks (U+200E U+200F)", cp(0x200e, 0x200f)],
    ["a byte-order mark (U+FEFF)", cp(0xfeff)],
    ["an ideographic space (U+3000)", cp(0x3000)],
  ])("is refused with 400 when it is only %s, and nobody joins", async (_, name) => {
    const code = await createMarket();
    expectValidation(await tryJoin(code, name), "name");
    expect(await playerNames(code)).toEqual([]);
  });
});

describe("other text that is not well-formed", () => {
  it("is refused in a market's name, a symbol's name or sector, and nothing is created", async () => {
    const bodies: [string, Record<string, unknown>][] = [
      ["name", { name: "Market " + LONE_SURROGATE, startingCash: 1000, symbols: SYMBOLS }],
      [
        "symbols.0.name",
        { name: "Market", startingCash: 1000, symbols: [{ ...SYMBOLS[0], name: LONE_SURROGATE + "Acme" }] },
      ],
      ["symbols.0.sector", { name: "Market", startingCash: 1000, symbols: [{ ...SYMBOLS[0], sector: "\udfff" }] }],
    ];
    for (const [field, body] of bodies) {
      const code = uniqueCode();
      expectValidation(await api("POST", "/api/markets", { token: ADMIN, body: { code, ...body } }), field);
      expect((await api("GET", `/api/markets/${code}`)).status).toBe(404);
    }
  });

  it("is refused in a headline or a news body, and no news is published", async () => {
    const code = await createMarket();
    expectValidation(
      await api("POST", `/api/markets/${code}/news`, {
        token: ADMIN,
        body: { headline: "Rates " + LONE_SURROGATE, impacts: [] },
      }),
      "headline",
    );
    expectValidation(
      await api("POST", `/api/markets/${code}/news`, {
        token: ADMIN,
        body: { headline: "Rates", body: "\udc00", impacts: [] },
      }),
      "body",
    );
    const news = await api("GET", `/api/markets/${code}/news`, { token: ADMIN });
    expect(news.status, news.text).toBe(200);
    expect(news.json.news).toEqual([]);
  });

  it("is refused in a clientOrderId, and no order is placed", async () => {
    const code = await createMarket();
    const p = await join(code, "Cat");
    expectValidation(
      await api("POST", `/api/markets/${code}/orders`, {
        token: p.token,
        body: order("ACME", "buy", 1, { clientOrderId: "c" + LONE_SURROGATE }),
      }),
      "clientOrderId",
    );
    expect((await api("GET", `/api/markets/${code}/orders?status=all`, { token: p.token })).json.orders).toEqual([]);
  });
});

describe("a market stored before these rules", () => {
  it("keeps working with its old name keys: old players trade, look-alikes are taken, new names join", async () => {
    const code = await createMarket();
    const bob = await join(code, "Bob");
    const other = await join(code, "Zed");
    // Rewrite the rows as the old code stored them: the key was the lower-cased name, so
    // "Bob" and full-width "Ｂｏｂ" were two names. Today they are one.
    await runInDurableObject(stubOf(code), (_instance, state) => {
      state.storage.sql.exec("UPDATE players SET name_key = 'bob' WHERE id = ?", bob.id);
      state.storage.sql.exec("UPDATE players SET name = 'Ｂｏｂ', name_key = 'ｂｏｂ' WHERE id = ?", other.id);
    });
    await evictDurableObject(stubOf(code));
    // Both old players save their rows on every order; neither collides in the unique index.
    for (const p of [bob, other]) {
      const res = await api("POST", `/api/markets/${code}/orders`, { token: p.token, body: order("ACME", "buy", 1) });
      expect(res.status, res.text).toBe(201);
    }
    expect((await tryJoin(code, "BOB")).status).toBe(409);
    await join(code, "Carol");
    expect(await playerNames(code)).toEqual(["Bob", "Carol", "Ｂｏｂ"]);
  });

  it("never refuses a join the engine accepted because of a key stored under other rules", async () => {
    const code = await createMarket();
    const zed = await join(code, "Zed");
    // A row whose key came from rules that folded differently, and happens to equal the
    // key a newcomer gets today.
    await runInDurableObject(stubOf(code), (_instance, state) => {
      state.storage.sql.exec("UPDATE players SET name_key = 'alice' WHERE id = ?", zed.id);
    });
    await evictDurableObject(stubOf(code));
    await join(code, "Alice");
    expect(await playerNames(code)).toEqual(["Alice", "Zed"]);
  });
});
