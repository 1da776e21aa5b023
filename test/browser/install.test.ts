/**
 * The app as something a player installs and a room full of tabs tells apart: the page's
 * manifest link resolves to a manifest whose icons load, the theme colour is the page's
 * background, and every page's tab title names the market and the page. The projector
 * loads the production chart library (the suite runs against the build that deploys).
 * Screenshots go to test-artifacts/browser/install-*.png.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const hasChromium = chromiumAvailable();
const CODE = "DEMO";
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  await call(server.base, "/api/markets", {
    method: "POST",
    token: server.adminToken,
    body: {
      code: CODE,
      name: "Install Night",
      startingCash: 10_000,
      tickMs: 1000,
      symbols: [
        { symbol: "BYTE", name: "Byte Robotics", price: 120, sector: "Tech" },
        { symbol: "CHAI", name: "Chai Point", price: 42.5, sector: "Food" },
      ],
    },
  });
  await call(server.base, `/api/markets/${CODE}/control`, {
    method: "POST",
    token: server.adminToken,
    body: { action: "open" },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Fetched {
  status: number;
  type: string | null;
  text: string;
}

/** Fetches a URL from inside the page, as the browser itself would (same origin, same cookies). */
function fetchInPage(page: Page, url: string): Promise<Fetched> {
  return page.evaluate(async (u) => {
    const res = await fetch(u);
    return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
  }, url);
}

/** Loads an image in the page; its natural size, or 0x0 when the browser cannot decode it. */
function imageSize(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (u) =>
      new Promise<string>((ok) => {
        const img = new Image();
        img.onload = () => ok(`${img.naturalWidth}x${img.naturalHeight}`);
        img.onerror = () => ok("0x0");
        img.src = u;
      }),
    url,
  );
}

describe.skipIf(!hasChromium)("the installable app", () => {
  test("on a phone, the manifest link resolves to the app's manifest and every icon it names loads", async () => {
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${server.base}/join/${CODE}`);
    await page.getByLabel("Nickname").waitFor();
    const links = await page.evaluate(() => ({
      manifest: document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href ?? "",
      apple: document.querySelector<HTMLLinkElement>('link[rel="apple-touch-icon"]')?.href ?? "",
      icons: Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="icon"]'), (l) => l.href),
      theme: document.querySelector<HTMLMetaElement>('meta[name="theme-color"]')?.content ?? "",
      background: getComputedStyle(document.body).backgroundColor,
    }));
    expect(new URL(links.manifest).origin).toBe(server.base);

    const res = await fetchInPage(page, links.manifest);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/manifest\+json/);
    const manifest = JSON.parse(res.text) as {
      name: string;
      display: string;
      start_url: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ name: "MarketFlow", display: "standalone", start_url: "/" });
    expect(manifest.theme_color).toBe(links.theme);
    // The splash screen's colour is the page's own background (#0b1020 is rgb(11, 16, 32)).
    const hex = (rgb: string) =>
      `#${(rgb.match(/\d+/g) ?? []).map((n) => Number(n).toString(16).padStart(2, "0")).join("")}`;
    expect(manifest.background_color).toBe(hex(links.background));

    for (const icon of manifest.icons) {
      expect(await imageSize(page, new URL(icon.src, links.manifest).href), icon.src).toBe(icon.sizes);
    }
    expect(manifest.icons.some((i) => i.purpose === "maskable")).toBe(true);
    expect(await imageSize(page, links.apple)).toBe("180x180");
    for (const href of links.icons) expect(await imageSize(page, href), href).not.toBe("0x0");
    await page.screenshot({ path: join(SHOTS, "install-join.png") });
    await ctx.close();
  });

  test("each page's tab title names the market and the page", async () => {
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const titled = (title: string) => expect.poll(() => page.title()).toBe(title);

    await page.goto(`${server.base}/`);
    await titled("MarketFlow");
    await page.goto(`${server.base}/join/${CODE}`);
    await titled(`${CODE} · Join · MarketFlow`);
    await page.getByLabel("Nickname").fill("Tab");
    await page.getByRole("button", { name: "Join the market" }).click();
    await page.waitForURL(`**/play/${CODE}`);
    await page.locator('[data-conn="live"]').waitFor();
    await titled(`${CODE} · Trade · MarketFlow`);
    await page.screenshot({ path: join(SHOTS, "install-trade.png") });
    await page.goto(`${server.base}/no/such/page`);
    await titled("Page not found · MarketFlow");
    await ctx.close();

    const laptop = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const admin = await laptop.newPage();
    await admin.goto(`${server.base}/admin`);
    await expect.poll(() => admin.title()).toBe("Sign in · Console · MarketFlow");
    await admin.getByLabel("Organiser token").fill(server.adminToken);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByRole("heading", { name: "Markets" }).waitFor();
    await expect.poll(() => admin.title()).toBe("Console · MarketFlow");
    await admin.getByRole("link", { name: `Run market ${CODE}` }).click();
    await admin.locator('[data-conn="live"]').waitFor();
    await expect.poll(() => admin.title()).toBe(`${CODE} · Console · MarketFlow`);
    await laptop.close();
  });

  test("the projector names its market in the title and loads the production chart library", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on("response", (r) => {
      if (r.url().endsWith(".js")) scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.base}/screen/${CODE}`);
    await page.locator(".sc-chart canvas").first().waitFor();
    expect(await page.title()).toBe(`${CODE} · Screen · MarketFlow`);
    // The production build takes lightweight-charts' production file (194 KB, not the 377 KB
    // development one) and Solid's production runtime: what `npm run build` deploys.
    expect(scripts.filter((s) => s.includes("lightweight-charts"))).toEqual([
      expect.stringMatching(/\/lightweight-charts\.production-[\w-]+\.js$/),
    ]);
    await page.screenshot({ path: join(SHOTS, "install-screen.png") });
    await ctx.close();
  });
});
