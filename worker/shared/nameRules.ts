/**
 * The organiser's rules for names in one market, on top of what any nickname must be
 * (names.ts): names the organiser blocked, and words that may not appear in a name.
 *
 * Both compare folded forms, never what was typed:
 * - a blocked name refuses every name with the same `nameKey`, so once "Bob" is blocked,
 *   "BOB", "B0b" and "Bоb" (a Cyrillic о) are refused too;
 * - a banned word is looked for in the name's folded words: its `nameKey` with the usual
 *   digit-for-letter swaps folded as well ("sh1t", "5hit", "$hit"), cut into words at
 *   whatever is not a letter or digit. The word gets the same fold.
 *
 * A word matches a whole word of the name, or the whole name with its separators
 * dropped ("s.h.i.t", "s h i t"). A `*` at either end lets it match inside a word:
 * "bitch*" also refuses "bitches", "*fuck*" refuses "fuck" anywhere. Matching inside words
 * refuses innocent names that contain a word ("shit" sits in "Harshit" and "Shital", both
 * common Indian names; "ass" in "Cassie": the Scunthorpe problem), so the default list
 * uses `*` only for words that hardly ever sit inside a real name.
 *
 * Pure: no Worker APIs, so the engine and the unit tests share it.
 */
import { nameKey } from "./names.ts";

/** A modest default: common English profanity and slurs, and a few Hindi ones for Indian events. */
export const DEFAULT_BANNED_WORDS: readonly string[] = [
  "*fuck*",
  "*cunt*",
  "shit",
  "shithead",
  "bullshit",
  "bitch*",
  "bastard",
  "asshole",
  "wanker",
  "bollocks",
  "pussy",
  "whore",
  "slut",
  "*nigger*",
  "nigga",
  "*faggot*",
  "retard",
  "rapist",
  "hitler",
  "chutiya",
  "gandu",
  "*madarchod*",
  "*bhenchod*",
  "*behenchod*",
];

/** Most blocked names and banned words one market keeps, and the longest word. */
export const MAX_BLOCKED_NAMES = 500;
export const MAX_BANNED_WORDS = 500;
export const BANNED_WORD_MAX = 32;

/**
 * Digit and symbol swaps people use to spell around a filter, applied after `nameKey`
 * (which already folds "0" to "o" and "1" to "l"). "l" folds to "i" here because "1" and
 * "!" stand for either letter; these keys are only ever used to look for banned words.
 */
const LEET: Record<string, string> = {
  l: "i",
  "!": "i",
  "|": "i",
  "3": "e",
  "4": "a",
  "@": "a",
  "5": "s",
  $: "s",
  "7": "t",
  "+": "t",
  "8": "b",
  "9": "g",
};

/** The words banned words are looked for in: `nameKey`, swaps folded, cut at every non-letter, non-digit. */
export function filterWords(text: string): string[] {
  let folded = "";
  for (const c of nameKey(text)) folded += LEET[c] ?? c;
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** A banned word, folded like a name, and where it may match. */
export interface BannedPattern {
  word: string;
  /** `*word`: may end a word (or the name). */
  suffix: boolean;
  /** `word*`: may start a word (or the name). */
  prefix: boolean;
}

export function bannedPatternOf(entry: string): BannedPattern | null {
  const trimmed = entry.trim();
  const word = filterWords(trimmed.replace(/^\*|\*$/g, "")).join("");
  if (word.length === 0) return null;
  return { word, suffix: trimmed.startsWith("*"), prefix: trimmed.endsWith("*") };
}

function matches(p: BannedPattern, w: string): boolean {
  if (p.prefix && p.suffix) return w.includes(p.word);
  if (p.prefix) return w.startsWith(p.word);
  if (p.suffix) return w.endsWith(p.word);
  return w === p.word;
}

export interface NameRules {
  /** nameKey of every blocked name. */
  blockedKeys: ReadonlySet<string>;
  banned: readonly BannedPattern[];
}

export function nameRulesOf(blockedNames: readonly string[], bannedWords: readonly string[]): NameRules {
  const banned: BannedPattern[] = [];
  for (const entry of bannedWords) {
    const p = bannedPatternOf(entry);
    if (p) banned.push(p);
  }
  return { blockedKeys: new Set(blockedNames.map(nameKey)), banned };
}

export type NameVerdict = { ok: true } | { ok: false; code: "NAME_BLOCKED" | "NAME_NOT_ALLOWED"; message: string };

/** Whether `name` (already normalised) may be used in a market with these rules. */
export function checkName(rules: NameRules, name: string): NameVerdict {
  if (rules.blockedKeys.has(nameKey(name)))
    return { ok: false, code: "NAME_BLOCKED", message: `The organiser has blocked the name "${name}" in this market` };
  if (rules.banned.length > 0) {
    const words = filterWords(name);
    const candidates = words.length > 1 ? [...words, words.join("")] : words;
    for (const p of rules.banned)
      for (const w of candidates)
        if (matches(p, w))
          return {
            ok: false,
            code: "NAME_NOT_ALLOWED",
            message: `The name "${name}" contains a word that is not allowed in this market; pick another`,
          };
  }
  return { ok: true };
}
