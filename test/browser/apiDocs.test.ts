/**
 * The API reference at /api/docs in a real browser: Scalar's script comes from this
 * deployment's assets, the page renders the OpenAPI document under its own content
 * security policy (no violation reported), and nothing is fetched from another host.
 * Screenshot: test-artifacts/browser/api-docs.png.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const hasChromium = chromiumAvailable();
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!hasChromium)("the API reference", () => {
  test("renders every tag of the document on a laptop, offline, with no CSP violation", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    const elsewhere: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.base) && !r.url().startsWith("data:") && !r.url().startsWith("blob:"))
        elsewhere.push(r.url());
    });
    await page.goto(`${server.base}/api/docs`);
    await expect.poll(() => page.getByRole("heading", { name: "MarketFlow API" }).count(), { timeout: 30_000 }).toBe(1);
    for (const tag of ["markets", "players", "orders", "news", "feed", "archive"])
      await expect.poll(() => page.getByText(tag, { exact: true }).count()).toBeGreaterThan(0);
    // The server it names is this one (the document's `servers`).
    await expect.poll(() => page.getByText(server.base).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, "api-docs.png") });
    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  });
});
