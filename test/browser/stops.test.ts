/**
 * Stop orders and short selling on a phone (390x844): a player places a sell stop through
 * the ticket (a stop price on the wrong side of the price is explained first), sees it in
 * Open orders, cancels it; then sells short more than they hold, sees the short and its
 * exposure in the portfolio, and buys to cover. Outcomes are read back through the API.
 * Screenshots go to test-artifacts/browser/stops-*.png.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MarketInfo, Order, Portfolio } from "../../worker/shared/protocol";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const hasChromium = chromiumAvailable();
const PHONE = { width: 390, height: 844 };
const SUBMIT = '.ticket-action button[type="submit"]';

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

async function openMarket(): Promise<string> {
  const { market } = await call<{ market: MarketInfo }>(server.base, "/api/markets", {
    method: "POST",
    token: server.adminToken,
    body: {
      name: "Stops Night",
      startingCash: 10000,
      // A long tick: the price stays put while the player types, so the stop stays untriggered.
      tickMs: 60000,
      symbols: [{ symbol: "BYTE", name: "Byte Company", price: 50 }],
      rules: { allowShort: true },
    },
  });
  await call(server.base, `/api/markets/${market.code}/control`, {
    method: "POST",
    token: server.adminToken,
    body: { action: "open" },
  });
  return market.code;
}

describe.skipIf(!hasChromium)("stop orders and shorts on a phone", () => {
  test("place a stop, see it listed, cancel it; sell short, see the exposure, buy to cover", async () => {
    const code = await openMarket();
    const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `stops-${name}.png`) });

    await page.goto(`${server.base}/join/${code}`);
    await page.getByLabel("Nickname").fill("Stella");
    await page.getByRole("button", { name: "Join the market" }).click();
    await page.waitForURL(`**/play/${code}`);
    await page.locator('[data-conn="live"]').waitFor();
    const token = await page.evaluate((c) => JSON.parse(localStorage.getItem(`mf:player:${c}`)!).token as string, code);
    const api = <T>(path: string) => call<T>(server.base, `/api/markets/${code}${path}`, { token });

    /** Back to BYTE's ticket from another tab (the tab bar's Market, then the stock if it is not open). */
    const toTicket = async () => {
      await page.getByRole("button", { name: "Market", exact: true }).click();
      if (!(await page.locator(SUBMIT).isVisible()))
        await page.locator('.pane-market li[data-symbol="BYTE"] button').click();
      await page.locator(SUBMIT).waitFor();
    };
    await page.locator('.pane-market li[data-symbol="BYTE"] button').click();
    await page.locator(SUBMIT).waitFor();
    const price = Number((await page.locator(".detail-price .big").innerText()).replace(/[^0-9.]/g, ""));

    // A sell stop above the price would trigger at once: the ticket says so and will not send it.
    await page.getByRole("radio", { name: "Sell" }).click();
    await page.getByRole("radio", { name: "Stop", exact: true }).click();
    await page.getByRole("spinbutton", { name: "Quantity" }).fill("5");
    const stopField = page.getByLabel(/^Stop price/);
    await stopField.fill((price + 5).toFixed(2));
    await expect
      .poll(() => page.getByTestId("stop-problem").innerText())
      .toMatch(/A sell stop triggers below the price/);
    expect(await page.locator(SUBMIT).isDisabled()).toBe(true);
    await shot("stop-problem");

    const stopAt = (Math.round(price * 90) / 100).toFixed(2);
    await stopField.fill(stopAt);
    await expect.poll(() => page.getByTestId("stop-problem").count()).toBe(0);
    await page.locator(SUBMIT).click();
    await page.getByTestId("ticket-result").filter({ hasText: "Stop order placed" }).waitFor();
    await shot("stop-placed");

    const open = await api<{ orders: Order[] }>("/orders?status=open");
    expect(open.orders).toHaveLength(1);
    expect(open.orders[0]).toMatchObject({ type: "stop", side: "sell", qty: 5, stopPrice: Number(stopAt) });
    // Nothing is held for a waiting stop.
    expect((await api<Portfolio>("/portfolio")).reserved).toBe(0);

    await page.getByRole("button", { name: "Orders" }).click();
    const cancel = page.getByRole("button", { name: /^Cancel sell 5 BYTE stop at/ });
    await cancel.waitFor();
    await shot("stop-listed");
    await cancel.click();
    await page.getByText("No open orders.").waitFor();
    expect((await api<{ orders: Order[] }>("/orders?status=open")).orders).toEqual([]);

    // Selling 3 shares she does not hold is a short sale, in those words.
    await toTicket();
    await page.getByRole("radio", { name: "Sell" }).click();
    await page.getByRole("radio", { name: "Market" }).click();
    await page.getByRole("spinbutton", { name: "Quantity" }).fill("3");
    await expect.poll(() => page.locator(SUBMIT).innerText()).toBe("Sell short 3 BYTE");
    await page.locator(SUBMIT).click();
    await page.getByTestId("ticket-result").filter({ hasText: "Sold 3 BYTE" }).waitFor();
    let pf = await api<Portfolio>("/portfolio");
    expect(pf.positions.find((p) => p.symbol === "BYTE")?.qty).toBe(-3);

    await page.getByRole("button", { name: "Portfolio" }).click();
    await page.getByTestId("short-exposure").waitFor();
    await shot("short-portfolio");

    // Buying against the short covers it.
    await toTicket();
    await page.getByRole("radio", { name: "Buy", exact: true }).click();
    await page.getByRole("spinbutton", { name: "Quantity" }).fill("3");
    await expect.poll(() => page.locator(SUBMIT).innerText()).toBe("Buy to cover 3 BYTE");
    await page.locator(SUBMIT).click();
    await page.getByTestId("ticket-result").filter({ hasText: "Bought 3 BYTE" }).waitFor();
    await shot("covered");
    pf = await api<Portfolio>("/portfolio");
    expect(pf.positions.find((p) => p.symbol === "BYTE")?.qty ?? 0).toBe(0);
    await ctx.close();
  });
});
