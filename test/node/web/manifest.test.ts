/**
 * The installable app's files in web/public (drawn by dev/icons.mjs): the manifest names
 * icons that exist at the sizes it claims, its colours are the app's background, and the
 * page's theme colour agrees. Served content types are checked in test/e2e/staticFiles.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const PUBLIC = join(ROOT, "web/public");

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}
const manifest = JSON.parse(readFileSync(join(PUBLIC, "manifest.webmanifest"), "utf8")) as {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: ManifestIcon[];
};
const indexHtml = readFileSync(join(ROOT, "web/index.html"), "utf8");
const baseCss = readFileSync(join(ROOT, "web/src/styles/base.css"), "utf8");

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("the web manifest", () => {
  it("installs as a standalone app that starts at the landing page", () => {
    expect(manifest.name).toBe("MarketFlow");
    expect(manifest.short_name.length).toBeLessThanOrEqual(12); // fits under a home-screen icon
    expect(manifest.start_url).toBe("/");
    expect(manifest.display).toBe("standalone");
  });

  it("uses the app's background colour, as the page's theme-color does", () => {
    const bg = /--bg:\s*(#[0-9a-f]{6})/i.exec(baseCss)?.[1];
    expect(bg).toBeDefined();
    expect(manifest.background_color).toBe(bg);
    expect(manifest.theme_color).toBe(bg);
    expect(indexHtml).toContain(`<meta name="theme-color" content="${bg}" />`);
  });

  it("names same-origin PNG icons of 192 and 512 px, one of them maskable, at the sizes they are", () => {
    for (const icon of manifest.icons) {
      expect(icon.src).toMatch(/^\/[a-z0-9/-]+\.png$/);
      expect(icon.type).toBe("image/png");
      const [w, h] = icon.sizes.split("x").map(Number);
      expect(pngSize(readFileSync(join(PUBLIC, icon.src)))).toEqual({ width: w, height: h });
    }
    const sizes = (purpose: string) =>
      manifest.icons.filter((i) => (i.purpose ?? "any").split(" ").includes(purpose)).map((i) => i.sizes);
    expect(sizes("any")).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    expect(sizes("maskable")).toContain("512x512");
  });
});

describe("the page's icons", () => {
  it("links the manifest, the favicons and a 180 px apple-touch-icon, all files in web/public", () => {
    const hrefs = [...indexHtml.matchAll(/<link rel="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(hrefs).toEqual(
      expect.arrayContaining([
        ["manifest", "/manifest.webmanifest"],
        ["icon", "/favicon.ico"],
        ["icon", "/favicon.svg"],
        ["apple-touch-icon", "/apple-touch-icon.png"],
      ]),
    );
    for (const [, href] of hrefs) expect(existsSync(join(PUBLIC, href)), href).toBe(true);
    expect(pngSize(readFileSync(join(PUBLIC, "apple-touch-icon.png")))).toEqual({ width: 180, height: 180 });
  });

  it("favicon.ico holds 16, 32 and 48 px images", () => {
    const ico = readFileSync(join(PUBLIC, "favicon.ico"));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const offset = ico.readUInt32LE(entry + 12);
      const image = ico.subarray(offset, offset + ico.readUInt32LE(entry + 8));
      const { width, height } = pngSize(image);
      expect(height).toBe(width);
      expect(ico.readUInt8(entry)).toBe(width);
      sizes.push(width);
    }
    expect(sizes).toEqual([16, 32, 48]);
  });
});
