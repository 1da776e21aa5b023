// The installable app's files as the Worker's static assets serve them (wrangler.toml [assets],
// single-page-application fallback): each answers with its own bytes and content type, not
// the app's HTML, and the app under test is the production build that deploys.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startServer, type TestServer } from "../browser/server";

const PUBLIC = join(ROOT, "web/public");

/** Path, the type it must be served with, and the file in web/public it must be. */
const FILES: [string, RegExp][] = [
  ["/manifest.webmanifest", /^application\/manifest\+json/],
  ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)$/],
  ["/favicon.svg", /^image\/svg\+xml/],
  ["/apple-touch-icon.png", /^image\/png$/],
  ["/icons/icon-192.png", /^image\/png$/],
  ["/icons/icon-512.png", /^image\/png$/],
  ["/icons/icon-maskable-512.png", /^image\/png$/],
];

describe("the app's static files through wrangler dev", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (const [path, type] of FILES) {
    it(`${path} is the file, with its content type`, async () => {
      const res = await fetch(server.base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(type);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(PUBLIC, path)))).toBe(true);
    });
  }

  it("every icon the manifest names is served as the PNG it claims", async () => {
    const res = await fetch(`${server.base}/manifest.webmanifest`);
    const manifest = (await res.json()) as { icons: { src: string; type: string }[] };
    expect(manifest.icons.length).toBeGreaterThanOrEqual(3);
    for (const icon of manifest.icons) {
      const file = await fetch(new URL(icon.src, res.url));
      expect(file.status, icon.src).toBe(200);
      expect(file.headers.get("content-type"), icon.src).toBe(icon.type);
    }
  });

  it("the client router's paths still get the app's HTML", async () => {
    for (const path of ["/", "/join/DEMO", "/screen/DEMO", "/admin"]) {
      const res = await fetch(server.base + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(await res.text(), path).toContain('<link rel="manifest" href="/manifest.webmanifest" />');
    }
  });

  it("serves the production build (the one `npm run build` deploys), not a development build", () => {
    // Vite picks each package's production entry only when NODE_ENV is production; vitest
    // sets NODE_ENV=test, so a build made naively from a test would take the development ones.
    const assets = readdirSync(join(ROOT, "web/dist/assets"));
    expect(assets.filter((f) => f.includes(".development"))).toEqual([]);
    expect(assets.some((f) => /^lightweight-charts\.production-.*\.js$/.test(f))).toBe(true);
  });
});
