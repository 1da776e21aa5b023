import { describe, expect, it } from "vitest";
import { toCsv } from "../../../worker/lib/csv";

/** The one data cell of a one-column CSV, as written. */
function written(value: string | number): string {
  return toCsv(["name"], [[value]]).split("\r\n")[1];
}

describe("CSV exports", () => {
  it("prefix an apostrophe to cells that start like an ASCII formula", () => {
    for (const v of ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx"])
      expect(written(v), JSON.stringify(v)).toMatch(/^"?'/);
  });

  it("prefix an apostrophe to full-width formula starts (U+FF1D, U+FF0B, U+FF0D, U+FF20)", () => {
    for (const v of ["＝cmd|' /C calc'!A0", "＋1", "－1", "＠SUM(A1)"]) expect(written(v), v).toBe(`'${v}`);
  });

  it("prefix an apostrophe to the small, superscript and subscript forms and to U+2212 MINUS SIGN", () => {
    for (const v of [
      "\uFE66x",
      "\uFE62x",
      "\uFE63x",
      "\uFE6Bx",
      "\u207C1",
      "\u207A1",
      "\u207B1",
      "\u208C1",
      "\u208A1",
      "\u208B1",
      "\u22121+1",
    ])
      expect(written(v), `U+${v.codePointAt(0)!.toString(16)}`).toBe(`'${v}`);
  });

  it("prefix an apostrophe when whitespace comes before the formula start", () => {
    for (const v of [" =1+1", "   +1", "\u00A0=1", "\u3000＝1", "\uFEFF@x", "\n=1"])
      expect(written(v), JSON.stringify(v)).toMatch(/^"?'/);
  });

  it("leave ordinary names and numbers as they are", () => {
    for (const v of ["Ann", "a=b", "3-2", "O'Brien", " Ann", "Zoë", "株式会社"]) expect(written(v), v).toBe(v);
    expect(written(-5)).toBe("-5");
    expect(written(12.5)).toBe("12.5");
    expect(written("")).toBe("");
  });

  it("still quote a guarded cell that holds a comma or a quote", () => {
    expect(written('＝HYPERLINK("x","y")')).toBe(`"'＝HYPERLINK(""x"",""y"")"`);
  });
});
