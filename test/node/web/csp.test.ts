// The app's content security policy (web/public/_headers) against what the app loads: the
// one inline style it allows must be the one lightweight-charts inserts, so an upgrade of
// the library that changes it fails here, not as a blocked style on a player's phone.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const headers = readFileSync(join(ROOT, "web/public/_headers"), "utf8");
const policy = /Content-Security-Policy: (.+)/.exec(headers)?.[1] ?? "";

function logoStyle(file: string): string {
  const text = readFileSync(join(ROOT, "node_modules/lightweight-charts/dist", file), "utf8");
  const css = /["'`](a#tv-attr-logo\{[^"'`]*\})["'`]/.exec(text)?.[1];
  if (!css) throw new Error(`no attribution-logo style in lightweight-charts/dist/${file}`);
  return css;
}

describe("the content security policy", () => {
  it("allows lightweight-charts' logo style by its hash, and no other inline style or script", () => {
    const css = logoStyle("lightweight-charts.production.mjs");
    expect(logoStyle("lightweight-charts.development.mjs")).toBe(css);
    const hash = `'sha256-${createHash("sha256").update(css).digest("base64")}'`;
    const directive = (name: string) =>
      policy
        .split(";")
        .find((d) => d.trim().startsWith(`${name} `))
        ?.trim();
    expect(directive("style-src")).toBe(`style-src 'self' ${hash}`);
    expect(directive("script-src")).toBe("script-src 'self'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});
