/**
 * The player's ticket on phones (360x740 and 390x844): quantities a person may type by
 * mistake, the buy button within reach after choosing a stock, and a cancelled limit
 * order's cash back at once. Screenshots go to test-artifacts/browser/phone-*.png.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MarketInfo } from "../../worker/shared/protocol";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const hasChromium = chromiumAvailable();
const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
];

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** An open market with enough stocks that the list fills a phone's screen. */
async function openMarket(): Promise<string> {
  const symbols = ["BYTE", "CHAI", "GRID", "BEAT", "ROVR", "MEDX", "BANK", "PLAY"].map((symbol, i) => ({
    symbol,
    name: `${symbol} Company`,
    price: 20 + i * 15,
  }));
  const { market } = await call<{ market: MarketInfo }>(server.base, "/api/markets", {
    method: "POST",
    token: server.adminToken,
    body: { name: "Phone Night", startingCash: 10000, tickMs: 1000, symbols },
  });
  await call(server.base, `/api/markets/${market.code}/control`, {
    method: "POST",
    token: server.adminToken,
    body: { action: "open" },
  });
  return market.code;
}

/** True when the element is on screen and it, not something over it, takes a tap at its centre. */
async function inReach(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight || r.height === 0) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === el || el.contains(hit));
  }, selector);
}

const BUY = '.ticket-action button[type="submit"]';

describe.skipIf(!hasChromium)("the ticket on a phone", () => {
  for (const vp of PHONES) {
    test(`${vp.width}x${vp.height}: bad quantities are explained, the button stays in reach, a cancel frees the cash at once`, async () => {
      const code = await openMarket();
      const ctx = await browser.newContext({ viewport: vp, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await ctx.newPage();
      const shot = (name: string) => page.screenshot({ path: join(SHOTS, `phone-${vp.width}-${name}.png`) });

      await page.goto(`${server.base}/join/${code}`);
      await page.getByLabel("Nickname").fill(`Pat${vp.width}`);
      await page.getByRole("button", { name: "Join the market" }).click();
      await page.waitForURL(`**/play/${code}`);
      await page.locator('[data-conn="live"]').waitFor();
      expect(await page.title()).toBe(`${code} · Trade · MarketFlow`);

      // The last stock in the list: the page has scrolled down to reach it.
      await page.locator('.pane-market li[data-symbol="PLAY"] button').click();
      await page.locator(BUY).waitFor();
      expect(await inReach(page, BUY)).toBe(true);
      expect(await page.locator(BUY).innerText()).toBe("Buy 10 PLAY");
      await shot("ticket");

      const qty = page.getByRole("spinbutton", { name: "Quantity" });
      const problem = page.getByTestId("qty-problem");
      for (const [typed, says] of [
        ["0", "Trade at least 1 share."],
        ["-1", "Trade at least 1 share."],
        ["2.5", "Shares come whole: try 2 or 3."],
        ["", "Enter how many shares to trade."],
      ] as const) {
        await qty.fill(typed);
        await expect.poll(() => problem.innerText()).toBe(says);
        expect(await inReach(page, '[data-testid="qty-problem"]')).toBe(true);
        expect(await page.locator(BUY).innerText()).toBe("Buy PLAY");
        expect(await page.locator(BUY).isDisabled()).toBe(true);
        if (typed === "2.5") await shot("qty-problem");
      }
      await qty.fill("5");
      await expect.poll(() => problem.count()).toBe(0);
      expect(await page.locator(BUY).innerText()).toBe("Buy 5 PLAY");

      // A limit buy well below the price holds cash for the order.
      await page.getByRole("radio", { name: "Limit", exact: true }).click();
      const price = Number((await page.locator(".detail-price .big").innerText()).replace(/[^0-9.]/g, ""));
      await page.getByLabel(/^Limit price/).fill((Math.round(price * 70) / 100).toFixed(2));
      expect(await inReach(page, BUY)).toBe(true);
      await page.locator(BUY).click();
      await page.getByTestId("ticket-result").filter({ hasText: "Limit order placed" }).waitFor();
      expect(await inReach(page, '[data-testid="ticket-result"]')).toBe(true);
      await shot("limit-placed");

      await page.getByRole("button", { name: "Portfolio" }).click();
      await expect.poll(() => page.getByTestId("reserved").innerText()).not.toBe("$0.00");
      // The portfolio's own refresh (every 15 s) is held back, so only the cancel can free the cash.
      await page.route("**/portfolio", (route) => route.abort());
      await page.getByRole("button", { name: "Orders" }).click();
      await page.getByRole("button", { name: /^Cancel buy 5 PLAY/ }).click();
      await page.getByText("No open orders.").waitFor();
      await page.getByRole("button", { name: "Portfolio" }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="reserved"]')?.textContent === "$0.00",
        undefined,
        { timeout: 2000 },
      );
      expect(await page.getByTestId("cash").innerText()).toBe("$10,000.00");
      await shot("after-cancel");
      await ctx.close();
    });
  }
});
