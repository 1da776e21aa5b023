#!/usr/bin/env node
/**
 * Draws the app's icons and writes them to web/public (committed; run this again after
 * changing the drawing): `node dev/icons.mjs`. The drawing is SVG, rasterised by headless
 * Chromium (playwright-core, as the browser suite uses; CHROMIUM_PATH or /usr/bin/chromium).
 *
 *   favicon.svg                  the tab icon for browsers that take SVG
 *   favicon.ico                  16, 32 and 48 px for the rest (and for /favicon.ico probes)
 *   apple-touch-icon.png         180 px, full bleed: iOS rounds the corners itself
 *   icons/icon-192.png, -512     the manifest's icons: a rounded tile
 *   icons/icon-maskable-512.png  full bleed, the chart inside the central safe zone
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { root } from "./node.mjs";

// web/src/styles/base.css: --bg, --border and --up.
const BG = "#0b1020";
const BORDER = "#2a3658";
const UP = "#34d399";
const PUBLIC = join(root, "web", "public");

/**
 * The mark on a 32-unit grid: a price line that dips and climbs. `scale` shrinks it about
 * the centre (the maskable icon's safe zone), `tile` draws a rounded tile instead of a full square.
 */
function svg({ tile, scale = 1 }) {
  const background = tile
    ? `<rect x="0.5" y="0.5" width="31" height="31" rx="7" fill="${BG}" stroke="${BORDER}" stroke-width="1"/>`
    : `<rect width="32" height="32" fill="${BG}"/>`;
  const mark = `<path d="M5 22l7-7 5 5 10-11" stroke="${UP}" stroke-width="3.5" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`;
  const t = 16 * (1 - scale);
  const placed =
    scale === 1 ? mark : `<g transform="translate(${t.toFixed(3)} ${t.toFixed(3)}) scale(${scale})">${mark}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><title>MarketFlow</title>${background}${placed}</svg>`;
}

async function render(page, markup, size) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">` +
      markup.replace("<svg ", `<svg width="${size}" height="${size}" style="display:block" `) +
      "</body></html>",
  );
  return page.screenshot({ omitBackground: true, type: "png" });
}

/** An .ico file that holds PNG images (every browser since IE 11 reads them). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const tile = svg({ tile: true });
  const square = svg({ tile: false, scale: 0.8 });
  const maskable = svg({ tile: false, scale: 0.7 });
  mkdirSync(join(PUBLIC, "icons"), { recursive: true });
  const write = (name, data) => {
    writeFileSync(join(PUBLIC, name), data);
    console.log(`wrote web/public/${name} (${data.length} bytes)`);
  };
  write("favicon.svg", `${tile}\n`);
  const small = [];
  for (const size of [16, 32, 48]) small.push({ size, png: await render(page, tile, size) });
  write("favicon.ico", ico(small));
  write("apple-touch-icon.png", await render(page, square, 180));
  write("icons/icon-192.png", await render(page, tile, 192));
  write("icons/icon-512.png", await render(page, tile, 512));
  write("icons/icon-maskable-512.png", await render(page, maskable, 512));
} finally {
  await browser.close();
}
