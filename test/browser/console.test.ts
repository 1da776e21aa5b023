/**
 * The organiser console on a laptop (1366x768), used only the way a person uses it: type
 * the token, pick a scenario, press the buttons (each built-in scenario as shipped, the
 * scenario files and the rules: scenarios.test.ts). What the server then holds is checked
 * through the API. Screenshots go to test-artifacts/browser/console-*.png.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MarketInfo, MarketSnapshot } from "../../worker/shared/protocol";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const hasChromium = chromiumAvailable();

let server: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let admin: Page;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  admin = await ctx.newPage();
  await admin.goto(`${server.base}/admin`);
  await admin.getByLabel("Organiser token").fill(server.adminToken);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await admin.getByRole("heading", { name: "Markets" }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Back to the list and create form, as the brand link in the header takes the organiser. */
async function toMarkets(): Promise<void> {
  await admin.getByRole("link", { name: /organiser console, home/ }).click();
  await admin.getByRole("heading", { name: "Create a market" }).waitFor();
}

/** Presses "Create market" and returns the code of the market the console then opens. */
async function pressCreate(): Promise<string> {
  await admin.getByRole("button", { name: "Create market" }).click();
  await admin.waitForURL(/\/admin\/[A-Z0-9]{4,12}$/, { timeout: 15_000 });
  return new URL(admin.url()).pathname.split("/").pop()!;
}

describe.skipIf(!hasChromium)("the organiser console creates markets", () => {
  test("edited fields are what the market is created with", async () => {
    await toMarkets();
    await admin.getByLabel("Scenario", { exact: true }).selectOption("classroom");
    await admin.getByLabel("Name", { exact: true }).fill("Physics Club Cup");
    await admin.getByLabel(/^Code/).fill("phys24");
    await admin.getByLabel("Starting cash ($)").fill("2500.50");
    await admin.getByLabel("Tick (seconds)").fill("1.5");
    await admin.getByLabel("Price of stock 1").fill("12.34");
    await admin.getByLabel("Volatility of stock 1").fill("3.5");
    await admin.getByLabel("Liquidity of stock 1").fill("20000");
    await admin.getByLabel("Sector of stock 1").fill("Farming");
    // Removing a stock takes the news script's moves on it along.
    await admin.getByRole("button", { name: "Remove stock TOYS" }).click();
    await admin.getByText("Removed 1 news move on TOYS").waitFor();
    await admin.getByRole("button", { name: "+ Add a stock" }).click();
    await admin.getByLabel("Symbol 4").fill("ink");
    await admin.getByLabel("Name of stock 4").fill("Inkwell Press");
    await admin.getByLabel("Price of stock 4").fill("7.05");
    await shot(admin, "edited");
    const code = await pressCreate();
    expect(code).toBe("PHYS24");

    const snap = await call<MarketSnapshot>(server.base, `/api/markets/${code}`);
    expect(snap.market).toMatchObject({ name: "Physics Club Cup", startingCash: 2500.5, tickMs: 1500 });
    expect(snap.symbols.map((s) => s.symbol)).toEqual(["APPL", "STEEL", "SOLAR", "INK"]);
    expect(snap.symbols[0]).toMatchObject({ price: 12.34, liquidity: 20000, sector: "Farming" });
    expect(snap.symbols[0].volatility).toBeCloseTo(0.035, 9);
    expect(snap.symbols[3]).toMatchObject({ name: "Inkwell Press", price: 7.05 });
  });

  test("a refused field is explained under it in plain words, and no market is made", async () => {
    await toMarkets();
    const before = (await call<{ markets: MarketInfo[] }>(server.base, "/api/markets", { token: server.adminToken }))
      .markets.length;
    await admin.getByLabel("Price of stock 2").fill("0");
    await admin.getByLabel("Symbol 3").fill("");
    await admin.getByRole("button", { name: "Create market" }).click();
    const priceCell = admin.getByRole("row").filter({ has: admin.getByLabel("Price of stock 2") });
    await priceCell.getByText("A price above $0, with at most 2 decimals.").waitFor();
    expect(
      await admin
        .getByRole("row")
        .filter({ has: admin.getByLabel("Symbol 3") })
        .getByTestId("field-error")
        .innerText(),
    ).toBe("1 to 8 letters, A to Z.");
    // The news script's move on the stock whose symbol was blanked is flagged too.
    expect(await admin.getByRole("alert").innerText()).toContain("3 fields need a fix");
    expect(await admin.getByTestId("script-item").nth(3).getByTestId("field-error").innerText()).toBe(
      "Impact 1, Stock: no stock GRID in this market",
    );
    await expect.poll(() => admin.getByLabel("Price of stock 2").getAttribute("aria-invalid")).toBe("true");
    await shot(admin, "field-errors");
    expect(new URL(admin.url()).pathname).toBe("/admin");
    const after = (await call<{ markets: MarketInfo[] }>(server.base, "/api/markets", { token: server.adminToken }))
      .markets.length;
    expect(after).toBe(before);
  });
});

describe.skipIf(!hasChromium)("the organiser console runs markets", () => {
  async function apiMarket(name: string): Promise<string> {
    const { market } = await call<{ market: MarketInfo }>(server.base, "/api/markets", {
      method: "POST",
      token: server.adminToken,
      body: {
        name,
        startingCash: 1000,
        symbols: [
          { symbol: "BYTE", name: "Byte Robotics", price: 120 },
          { symbol: "CHAI", name: "Chai Point", price: 42.5 },
        ],
      },
    });
    return market.code;
  }

  test("the markets list shows how many players joined each market", async () => {
    const code = await apiMarket("Counting Night");
    for (const name of ["Ana", "Bo", "Cy"])
      await call(server.base, `/api/markets/${code}/join`, { method: "POST", body: { name } });
    await toMarkets();
    await admin.getByRole("button", { name: "Refresh" }).click();
    const row = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: code }) });
    await expect.poll(() => row.locator("td.num").innerText()).toBe("3");
    expect(await admin.title()).toBe("Console · MarketFlow");
    await shot(admin, "markets-players");
  });

  test("each page's tab title names the market and the role", async () => {
    const code = await apiMarket("Titles");
    await admin.goto(`${server.base}/admin/${code}`);
    await admin.locator('[data-conn="live"]').waitFor();
    expect(await admin.title()).toBe(`${code} · Console · MarketFlow`);
    const screen = await ctx.newPage();
    await screen.goto(`${server.base}/screen/${code}`);
    await expect.poll(() => screen.title()).toBe(`${code} · Screen · MarketFlow`);
    await screen.goto(`${server.base}/join/${code}`);
    await expect.poll(() => screen.title()).toBe(`${code} · Join · MarketFlow`);
    await screen.close();
  });

  test("a closed market offers no news form and no halt buttons", async () => {
    const code = await apiMarket("Closing Night");
    await admin.goto(`${server.base}/admin/${code}`);
    await admin.locator('[data-conn="live"]').waitFor();
    await admin.getByRole("button", { name: "Halt BYTE" }).waitFor();
    expect(await admin.getByLabel("Headline").count()).toBe(1);
    await admin.getByRole("button", { name: "Close for good" }).click();
    await admin.getByRole("button", { name: "Yes, close for good" }).click();
    await admin.getByTestId("news-closed").waitFor();
    expect(await admin.getByLabel("Headline").count()).toBe(0);
    expect(await admin.getByRole("button", { name: /^(Halt|Resume) / }).count()).toBe(0);
    expect(await admin.getByRole("button", { name: /Publish|Schedule/ }).count()).toBe(0);
    await shot(admin, "closed-market");
  });
});
