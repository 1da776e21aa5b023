import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMarket, joinPlayer, rebuildDerived, reviveMarket, serializeMarket } from "../../../worker/market/engine";
import { nameKey, normalizePlayerName } from "../../../worker/shared/names";
import { JoinInput } from "../../../worker/shared/protocol";
import { config, must } from "../../support/engine";

/** Names are written by code point, so what each test is about is visible in the source. */
const cp = (...points: number[]) => String.fromCodePoint(...points);
const ALICE = "Alice";

/** "Alice" as nine players spelled it to get a second "Alice" onto the projector. */
const LOOK_ALIKES: [string, string][] = [
  ["a zero-width space (U+200B)", "Ali" + cp(0x200b) + "ce"],
  ["a zero-width joiner (U+200D)", "Al" + cp(0x200d) + "ice"],
  ["a soft hyphen (U+00AD)", "Ali" + cp(0x00ad) + "ce"],
  ["a word joiner (U+2060)", ALICE + cp(0x2060)],
  ["variation selector 16 (U+FE0F)", ALICE + cp(0xfe0f)],
  ["a Cyrillic capital A (U+0410)", cp(0x0410) + "lice"],
  ["full-width letters (U+FF21...)", cp(0xff21, 0xff4c, 0xff49, 0xff43, 0xff45)],
  ["a combining acute accent (U+0301)", ALICE + cp(0x0301)],
  ["mathematical bold letters (U+1D400...)", cp(0x1d400, 0x1d425, 0x1d422, 0x1d41c, 0x1d41e)],
];

/** Names that show nothing (or only a gap) on the projector. */
const INVISIBLE_NAMES: [string, string][] = [
  ["a zero-width space (U+200B)", cp(0x200b)],
  ["a braille blank (U+2800)", cp(0x2800)],
  ["a Hangul filler (U+3164)", cp(0x3164)],
  ["a right-to-left override (U+202E)", cp(0x202e)],
  ["a Hangul choseong filler (U+115F)", cp(0x115f)],
  ["a Hangul jungseong filler (U+1160)", cp(0x1160)],
  ["a half-width Hangul filler (U+FFA0)", cp(0xffa0)],
  ["a word joiner and a soft hyphen (U+2060 U+00AD)", cp(0x2060, 0x00ad)],
  ["left-to-right and right-to-left marks (U+200E U+200F)", cp(0x200e, 0x200f)],
  ["an ideographic space and a byte-order mark (U+3000 U+FEFF)", cp(0x3000, 0xfeff)],
];

/**
 * Random strings made mostly of the characters these rules are about (invisible ones,
 * look-alikes, marks, spaces, case pairs), with any other code point mixed in.
 */
const tricky = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ...[...LOOK_ALIKES, ...INVISIBLE_NAMES].map(([, s]) => s),
        ..."AaIil10Oo%ßΣσς -'",
        cp(0x0301),
        cp(0x0308),
        cp(0x0307),
        cp(0x0130),
        cp(0xfdfa),
        "\ud800",
      ),
      fc.string({ unit: "binary", maxLength: 2 }),
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(""));

function refused(raw: string): string {
  const checked = normalizePlayerName(raw);
  if (checked.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused, got ${JSON.stringify(checked.name)}`);
  return checked.message;
}

function shown(raw: string): string {
  const checked = normalizePlayerName(raw);
  if (!checked.ok) throw new Error(`expected ${JSON.stringify(raw)} to be a name: ${checked.message}`);
  return checked.name;
}

describe("a name that looks like one already taken", () => {
  it.each(LOOK_ALIKES)("shares Alice's key when it has %s", (_, name) => {
    expect(nameKey(name)).toBe(nameKey(ALICE));
  });

  it.each(LOOK_ALIKES)("is NAME_TAKEN in the engine after Alice when it has %s", (_, name) => {
    const state = createMarket(config(), 0);
    must(joinPlayer(state, ALICE, 0));
    expect(joinPlayer(state, shown(name), 1)).toMatchObject({ ok: false, code: "NAME_TAKEN" });
    expect(state.players.size).toBe(1);
  });

  it("shares a key across letter case, Greek capitals and look-alike digits", () => {
    expect(nameKey("aLiCE")).toBe(nameKey(ALICE));
    expect(nameKey(cp(0x0391) + "lice")).toBe(nameKey(ALICE)); // Greek capital alpha
    expect(nameKey("B0b")).toBe(nameKey("Bob"));
    expect(nameKey("Straße")).toBe(nameKey("STRASSE"));
    expect(nameKey("ΟΔΟΣ")).toBe(nameKey("οδοσ"));
  });

  it("is still taken after the market is reloaded: the index is rebuilt with the same key", () => {
    const state = createMarket(config(), 0);
    must(joinPlayer(state, ALICE, 0));
    const reloaded = reviveMarket(serializeMarket(state));
    rebuildDerived(reloaded);
    for (const [, name] of LOOK_ALIKES)
      expect(joinPlayer(reloaded, shown(name), 1)).toMatchObject({ ok: false, code: "NAME_TAKEN" });
  });

  it("blocks look-alikes of names stored before these rules, which are rebuilt into the index on load", () => {
    // A market stored earlier may hold a name as it was typed, invisible characters and all.
    const state = createMarket(config(), 0);
    state.players.set("p1", { ...must(joinPlayer(state, "Zed", 0)).player, name: "Ali" + cp(0x200b) + "ce" });
    rebuildDerived(state);
    expect(joinPlayer(state, ALICE, 1)).toMatchObject({ ok: false, code: "NAME_TAKEN" });
  });
});

describe("names that are different stay different", () => {
  it.each([
    ["Ann", "Anne"],
    ["Mary Ann", "MaryAnn"],
    ["Ian", "lan"], // capital I is folded to i before the look-alike table sees it
    ["राम", "रोम"], // Devanagari vowel signs spell different names and are kept
    ["李小龍", "李小龙"],
    ["R2-D2", "R2D2"],
    ["🚀", "🛸"],
  ])("%s and %s", (a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b));
  });
});

describe("a name that shows nothing", () => {
  it.each(INVISIBLE_NAMES)("is refused when it is only %s", (_, name) => {
    expect(refused(name)).toMatch(/visible/);
  });

  it.each([["..."], ["-"], [cp(0x0301)]])("is refused when it is only punctuation or marks: %j", (name) => {
    expect(refused(name)).toBeTypeOf("string");
  });
});

describe("the name that is shown", () => {
  it("is NFKC, without invisible or bidirectional characters, with single spaces", () => {
    expect(shown(cp(0xff21, 0xff4c, 0xff49, 0xff43, 0xff45))).toBe(ALICE);
    expect(shown("Ali" + cp(0x200b) + "ce" + cp(0xfe0f))).toBe(ALICE);
    expect(shown(cp(0x202e) + "ecilA")).toBe("ecilA");
    expect(shown("  Mary" + cp(0x3000) + "  Ann\u00a0")).toBe("Mary Ann");
    expect(shown("Jose" + cp(0x0301))).toBe("José");
  });

  it("keeps names in any script, with accents, digits and symbols", () => {
    for (const name of ["José", "Zoë", "李小龍", "Дмитрий", "محمد", "राम", "🚀🚀", "R2-D2", "O'Brien", "★"])
      expect(shown(name)).toBe(name);
  });

  it("counts its 24 characters after normalising, in code points", () => {
    expect(shown("🚀".repeat(24))).toBe("🚀".repeat(24)); // 48 UTF-16 units
    expect(refused("🚀".repeat(25))).toMatch(/at most 24/);
    expect(shown("a".repeat(24) + cp(0x200b).repeat(10))).toBe("a".repeat(24));
    // U+FDFA is one code point that NFKC spells out in 18.
    expect(refused(cp(0xfdfa, 0xfdfa))).toMatch(/at most 24 characters \(36/);
  });

  it("is the same when normalised twice, and has the same key as what was typed", () => {
    fc.assert(
      fc.property(tricky, (raw) => {
        const checked = normalizePlayerName(raw);
        if (!checked.ok) return;
        expect(normalizePlayerName(checked.name)).toEqual(checked);
        expect(nameKey(checked.name)).toBe(nameKey(raw));
      }),
      { numRuns: 500 },
    );
  });
});

describe("a name that is refused outright", () => {
  it.each([
    ["a lone high surrogate", cp(0x41) + "\ud800"],
    ["a lone low surrogate", "\udc00" + "Ann"],
    ["a tab", "Ann\tLee"],
    ["a newline", "Ann\n"],
    ["a C1 control (U+0085)", "Ann" + cp(0x85)],
    ["a private-use character (U+E000)", "Ann" + cp(0xe000)],
    ["an unassigned code point (U+0378)", "Ann" + cp(0x0378)],
    ["a noncharacter (U+FFFF)", "Ann" + cp(0xffff)],
    ["a leading combining mark", cp(0x0301) + "Ann"],
    ["five combining marks in a row", "x" + cp(0x0300, 0x0301, 0x0302, 0x0303, 0x0304)],
  ])("with %s", (_, name) => {
    expect(refused(name)).toBeTypeOf("string");
  });

  it("a lone surrogate is refused as not well-formed", () => {
    expect(refused("\ud800")).toMatch(/well-formed/);
  });
});

describe("the join schema", () => {
  it("hands the route the normalised name", () => {
    expect(JoinInput.parse({ name: " Ali" + cp(0x200b) + "ce " })).toEqual({ name: ALICE });
  });

  it("refuses a lone surrogate or an invisible name, naming the field", () => {
    for (const name of ["\ud800", cp(0x3164)]) {
      const result = JoinInput.safeParse({ name });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["name"]);
    }
  });
});

describe("the key", () => {
  it("is a fixed point for every assigned code point: a second fold changes nothing", () => {
    let worst = "";
    for (let point = 0; point <= 0x10ffff; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const c = String.fromCodePoint(point);
      if (/\p{Cn}|\p{Co}/u.test(c)) continue;
      const key = nameKey(c);
      if (nameKey(key) !== key) worst ||= `U+${point.toString(16).toUpperCase()}`;
    }
    expect(worst).toBe("");
  }, 60_000);

  it("exists for any string, also one stored before these rules (lone surrogates and all)", () => {
    fc.assert(
      fc.property(tricky, (s) => {
        const key = nameKey(s);
        expect(typeof key).toBe("string");
        expect(nameKey(key)).toBe(key);
      }),
      { numRuns: 500 },
    );
    expect(nameKey("\ud800")).toBe(nameKey("\ud800"));
  });
});
