import { describe, expect, it } from "vitest";
import { checkName, DEFAULT_BANNED_WORDS, filterWords, nameRulesOf } from "../../../worker/shared/nameRules";

const defaults = nameRulesOf([], DEFAULT_BANNED_WORDS);
const verdict = (name: string, rules = defaults) => checkName(rules, name);

describe("the banned-word filter", () => {
  it("sees through case, accents, look-alike letters, digit swaps and separators", () => {
    for (const name of ["shit", "SHIT", "Shït", "sh1t", "5hit", "$hit", "s.h.i.t", "s h i t", "\u0455hit"])
      expect(verdict(name), name).toMatchObject({ ok: false, code: "NAME_NOT_ALLOWED" });
  });

  it("matches whole words unless the entry has a *, so common names stay allowed", () => {
    for (const name of ["Harshit", "Shital", "Cassie", "Titus", "Nazia", "Dickens", "Ashita", "Pom"])
      expect(verdict(name), name).toEqual({ ok: true });
    for (const name of ["Fuckface", "xXfuckXx", "Bitches", "big shit"])
      expect(verdict(name), name).toMatchObject({ ok: false });
  });

  it("folds a word the same way as a name, so the organiser may type it any way", () => {
    const rules = nameRulesOf([], ["  *BR0CCOLI*  ", "*", ""]);
    expect(rules.banned).toEqual([{ word: "broccoii", prefix: true, suffix: true }]);
    expect(verdict("eatbroccolinow", rules)).toMatchObject({ ok: false });
    expect(filterWords("Hello, W0rld!")).toEqual(["heiio", "woridi"]);
  });
});

describe("blocked names", () => {
  it("refuse the name and every look-alike, not names that merely contain it", () => {
    const rules = nameRulesOf(["Alice"], []);
    for (const name of ["alice", "ALICE", "\u0410lice", "Alicé", "A l i c e".replace(/ /g, "")])
      expect(verdict(name, rules), name).toMatchObject({ ok: false, code: "NAME_BLOCKED" });
    expect(verdict("Alice B", rules)).toEqual({ ok: true });
  });
});
