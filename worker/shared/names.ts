/**
 * What a nickname may be, and when two nicknames are the same name.
 *
 * A nickname is shown to the whole room on the projector, so it has to look like what it
 * is: one player, one name nobody else in the market seems to have. Three steps:
 *
 * 1. `normalizePlayerName` turns what the player typed into the name everyone sees: NFKC
 *    (full-width and mathematical letters become plain ones), invisible characters
 *    stripped, runs of spaces made one. It refuses a name that is not well-formed, has
 *    control, private-use or unassigned characters, stacks combining marks, is longer
 *    than NAME_MAX_CHARS code points (counted after normalising) or shows nothing.
 * 2. `nameKey` folds a name to what it looks like: case-folded, accents dropped and
 *    look-alike letters mapped to one prototype (UTS #39 confusables), so "Alice",
 *    "ALICE", "Аlice" (Cyrillic А) and "Alicé" share one key and the second is NAME_TAKEN.
 * 3. The key is only ever compared, never shown.
 *
 * Pure: no Worker APIs, so the engine, the schemas and the unit tests share it.
 */
// The confusables data is the Unicode consortium's own (confusables.txt, UTS #39), from
// `unhomoglyph`: published by nodeca (the markdown-it maintainers), no dependencies,
// one 100 kB JSON table (29 kB gzipped) in the Worker bundle, MIT. Chosen over
// `unicode-confusables` (older Unicode 10 data, no repository), `confusables` (a
// hand-made English-only list meant for profanity filters, not UTS #39) and
// `@adraffy/ens-normalize` (smaller, but it implements ENS's name rules: it refuses
// confusable names outright instead of giving a key to compare them by). Its data is Unicode 13; newer look-alikes are still folded by NFKC
// and case folding. The version is pinned: a new table changes keys (see NAME_KEY_VERSION).
// Its table is read here rather than through its function, which builds one regular
// expression of 6,311 alternatives when imported: that cost about 15 ms of CPU at every
// isolate's start on the project's machine (about 38 ms against 23 ms for the table
// alone), and the router, which only normalises names, never needs it. The map is built on first use.
import CONFUSABLES from "unhomoglyph/data.json" with { type: "json" };
import { isWellFormed, NOT_WELL_FORMED } from "./wellFormed.ts";

export const NAME_MAX_CHARS = 24;

/**
 * Bumped whenever `nameKey` would give another key for some name (new rules, a new
 * confusables table). The market stores keys tagged with it (see MarketStore), so keys
 * of two versions never meet in the unique index.
 */
export const NAME_KEY_VERSION = 2;

/**
 * Characters that draw nothing, or nothing but a gap, and so are stripped:
 * default-ignorable code points (zero-width space U+200B, joiners U+200C/U+200D, soft
 * hyphen U+00AD, word joiner U+2060, variation selectors such as VS16 U+FE0F, the Hangul
 * fillers U+115F, U+1160, U+3164, U+FFA0), every format character (Cf, which holds the
 * bidirectional controls such as U+202E RIGHT-TO-LEFT OVERRIDE that flip the rest of a
 * row, and U+FEFF), and symbols whose glyph is blank: U+2800 BRAILLE PATTERN BLANK and
 * U+1D159 MUSICAL SYMBOL NULL NOTEHEAD. The Hangul fillers are listed again although
 * default-ignorable: they are letters (Lo), which is how they pass "has a letter" checks.
 * The cost: an emoji sequence joined by U+200D shows as its parts ("👩‍💻" as "👩💻"),
 * and a Persian name loses its zero-width non-joiners.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800\u{1D159}]/gu;
/** Space of every width (NFKC turns most into U+0020 first; U+1680 and line separators stay). */
const SPACES = /\s+/gu;
/** Refused outright: they cannot be shown (controls), or mean nothing to anyone else (private use, unassigned). */
const CONTROL = /\p{Cc}/u;
const NOT_SHOWABLE = /[\p{Co}\p{Cn}]/u;
/** What a name must have at least one of, to show anything at all. */
const VISIBLE = /[\p{L}\p{N}\p{S}]/u;
/**
 * After NFKC, Latin, Greek and Cyrillic accents sit composed on their letter; a mark at the
 * start would sit on whatever precedes the name on screen, and a long run of marks is
 * "Zalgo" text that spills over the rows above and below. Four in a row is more than any
 * script's spelling needs.
 */
const LEADING_MARK = /^\p{M}/u;
const MARK_PILE = /\p{M}{5}/u;

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

/** The form of a name that is shown: NFKC, invisible characters stripped, spaces collapsed and trimmed. */
function visibleForm(raw: string): string {
  // NFKC again after stripping: a stripped character may have stood between a letter and its accent.
  return raw.normalize("NFKC").replace(INVISIBLE, "").replace(SPACES, " ").trim().normalize("NFKC");
}

/** What the player typed, as the name to show, or why it cannot be a name. */
export function normalizePlayerName(raw: string): NameCheck {
  if (!isWellFormed(raw)) return { ok: false, message: NOT_WELL_FORMED };
  if (CONTROL.test(raw)) return { ok: false, message: "no control characters" };
  const name = visibleForm(raw);
  if (NOT_SHOWABLE.test(name)) return { ok: false, message: "no private-use or unassigned characters" };
  if (!VISIBLE.test(name)) return { ok: false, message: "needs at least one visible letter, digit or symbol" };
  if (LEADING_MARK.test(name)) return { ok: false, message: "must not start with a combining mark" };
  if (MARK_PILE.test(name)) return { ok: false, message: "at most 4 combining marks in a row" };
  const length = [...name].length;
  if (length > NAME_MAX_CHARS)
    return { ok: false, message: `at most ${NAME_MAX_CHARS} characters (${length} after normalising)` };
  return { ok: true, name };
}

/**
 * Accents and other marks shared by many scripts (Script=Inherited: U+0300-U+036F and
 * friends, Arabic vowel marks). Script-specific marks, such as Devanagari vowel signs,
 * spell different words and are kept.
 */
const SHARED_MARKS = /\p{Script=Inherited}/gu;

let prototypes: Map<string, string> | null = null;

/** UTS #39's skeleton mapping: each code point to the prototype it is confusable with. */
function skeleton(s: string): string {
  prototypes ??= new Map(Object.entries(CONFUSABLES as Record<string, string>));
  let out = "";
  for (const c of s) out += prototypes.get(c) ?? c;
  return out;
}

function foldOnce(s: string): string {
  // Upper then lower case is full case folding for what matters here: "ß" becomes "ss"
  // and a final "ς" folds like "σ", which lower-casing alone leaves apart.
  const folded = visibleForm(s).toUpperCase().toLowerCase().normalize("NFD").replace(SHARED_MARKS, "");
  // The skeleton may map to a capital ("0" to "O"), a letter with a mark or a compatibility
  // character ("%" to "º/₀"): the caller folds again until nothing changes.
  return skeleton(folded).normalize("NFD").replace(SHARED_MARKS, "");
}

/**
 * The key two names are compared by: equal keys look alike. Total (any string has a key,
 * also a name stored before these rules) and idempotent. "Tom" and "Torn" share a key
 * (UTS #39 maps "m" to "rn"); capital "I" and small "l" do not, as case folding comes
 * first and "I" is "i" by then.
 */
export function nameKey(name: string): string {
  let key = name;
  // Every code point reached its fixed point within 3 rounds when this was written
  // (test/node/shared/names.test.ts checks that keys are fixed points for all of Unicode);
  // the bound only guards against a future table that cycles.
  for (let round = 0; round < 8; round++) {
    const next = foldOnce(key);
    if (next === key) break;
    key = next;
  }
  return key;
}
