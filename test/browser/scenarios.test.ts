/**
 * Scenarios, rules and the news script in the organiser console (1366x768), pressed the
 * way a person presses them: create from each built-in scenario as shipped, export a
 * market as a scenario file and import it, import a broken file, set rules at creation
 * and in the lobby, edit the news script; and a phone (390x844) opening the rules sheet.
 * The API only checks the outcome. Screenshots: test-artifacts/browser/scenario-*.png.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BUILT_IN_SCENARIOS, offsetMsOf } from "../../web/src/lib/scenarios";
import { DEFAULT_RULES } from "../../worker/market/engine/types";
import type { MarketInfo, NewsItem } from "../../worker/shared/protocol";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
/** expect.poll with room for a busy machine (its default gives up after one second). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });
const hasChromium = chromiumAvailable();

let server: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let admin: Page;

const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: join(SHOTS, `scenario-${name}.png`), fullPage });
const adminMarket = async (code: string) =>
  (await call<{ market: MarketInfo }>(server.base, `/api/markets/${code}/admin`, { token: server.adminToken })).market;
const newsOf = async (code: string) =>
  (await call<{ news: NewsItem[] }>(server.base, `/api/markets/${code}/news`, { token: server.adminToken })).news;
const marketCount = async () =>
  (await call<{ markets: MarketInfo[] }>(server.base, "/api/markets?limit=500", { token: server.adminToken })).markets
    .length;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
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

async function toCreateForm(): Promise<void> {
  await admin.goto(`${server.base}/admin`);
  await admin.getByRole("heading", { name: "Create a market" }).waitFor();
}

async function pressCreate(): Promise<string> {
  await admin.getByRole("button", { name: "Create market" }).click();
  await admin.waitForURL(/\/admin\/[A-Z0-9]{4,12}$/, { timeout: 15_000 });
  const code = new URL(admin.url()).pathname.split("/").pop()!;
  await admin.locator('[data-conn="live"]').waitFor();
  return code;
}

/** The browser's own verdict on every input of the form (min, max, step, required). */
const invalidInputs = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement>("form input, form select, form textarea"))
      .filter((el) => !el.checkValidity())
      .map((el) => `${el.getAttribute("aria-label") ?? el.name}=${el.value}: ${el.validationMessage}`),
  );

describe.skipIf(!hasChromium)("built-in scenarios", () => {
  for (const { id, label, file } of BUILT_IN_SCENARIOS) {
    test(`"${label}" creates its market as shipped, every input valid`, async () => {
      await toCreateForm();
      await admin.getByLabel("Scenario", { exact: true }).selectOption(id);
      await poll(() => admin.getByLabel("Symbol 1").inputValue()).toBe(file.market.symbols[0].symbol);
      expect(await admin.getByLabel("Name", { exact: true }).inputValue()).toBe(file.market.name);
      expect(await admin.getByTestId("script-item").count()).toBe(file.news?.length ?? 0);
      expect(await invalidInputs(admin)).toEqual([]);
      // Volatility reads as the percent a person would type (GRID's 0.035 once showed as
      // "3.50000000000").
      for (const [i, stock] of file.market.symbols.entries()) {
        if (stock.volatility === undefined) continue;
        const shown = await admin.getByLabel(`Volatility of stock ${i + 1}`).inputValue();
        expect(shown, stock.symbol).toMatch(/^\d+(\.\d{1,2})?$/);
        expect(Number(shown), stock.symbol).toBeCloseTo(stock.volatility * 100, 9);
      }
      await shot(admin, `builtin-${id}`);
      const code = await pressCreate();

      const market = await adminMarket(code);
      expect(market).toMatchObject({
        name: file.market.name,
        startingCash: file.market.startingCash,
        tickMs: file.market.tickMs,
      });
      // The scenario's length is the market's; it opens when the organiser says.
      expect(market.session).toEqual({
        opensAt: null,
        closesAt: null,
        durationMs: file.market.session?.durationMs ?? null,
      });
      // Every new market names its money format; the form's default is dollars.
      expect(market.rules).toEqual({ ...DEFAULT_RULES, currency: "USD", locale: "en-US", ...file.market.rules });
      const snap = await call<{ symbols: { symbol: string; price: number; liquidity: number }[] }>(
        server.base,
        `/api/markets/${code}`,
      );
      expect(snap.symbols.map((s) => [s.symbol, s.price, s.liquidity])).toEqual(
        file.market.symbols.map((s) => [s.symbol, s.price, s.liquidity]),
      );
      const script = (await newsOf(code)).filter((n) => n.afterOpenMs !== undefined);
      expect(script.map((n) => [n.afterOpenMs, n.headline, n.status])).toEqual(
        (file.news ?? []).map((n) => [offsetMsOf(n), n.headline, "scheduled"]),
      );
      if (id === "battery") {
        await admin.getByRole("heading", { name: "News script" }).scrollIntoViewIfNeeded();
        expect(await admin.getByTestId("script-state").first().innerText()).toBe("waiting for the open");
        await shot(admin, "builtin-battery-room");
      }
    });
  }
});

describe.skipIf(!hasChromium)("scenario files", () => {
  test("a market's setup exports as a file that imports into the form and creates the same market", async () => {
    await toCreateForm();
    await admin.getByLabel("Scenario", { exact: true }).selectOption("wild");
    await admin.getByLabel("Name", { exact: true }).fill("Export Me");
    const code = await pressCreate();
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("button", { name: "Export as scenario" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${code.toLowerCase()}-scenario.json`);
    const path = await download.path();
    const exported = JSON.parse(readFileSync(path, "utf8"));
    expect(exported).toMatchObject({ format: "marketflow.scenario", version: 1, title: "Export Me" });
    expect(exported.news).toHaveLength(BUILT_IN_SCENARIOS.find((s) => s.id === "wild")!.file.news!.length);

    await toCreateForm();
    await admin.locator('input[name="scenarioFile"]').setInputFiles(path);
    await poll(() => admin.getByLabel("Name", { exact: true }).inputValue()).toBe("Export Me");
    expect(await admin.getByLabel("Scenario", { exact: true }).inputValue()).toBe("file");
    expect(await admin.getByTestId("script-item").count()).toBe(exported.news.length);
    expect(await invalidInputs(admin)).toEqual([]);
    await shot(admin, "imported");
    const again = await pressCreate();
    expect(again).not.toBe(code);
    const [a, b] = [await adminMarket(code), await adminMarket(again)];
    expect(b.rules).toEqual(a.rules);
    expect(b).toMatchObject({ name: "Export Me", startingCash: a.startingCash, tickMs: a.tickMs });
    const script = async (c: string) =>
      (await newsOf(c)).map((n) => [n.afterOpenMs, n.headline, n.impacts]).sort((x, y) => Number(x[0]) - Number(y[0]));
    expect(await script(again)).toEqual(await script(code));
  });

  test("a broken file is refused with a message naming the field, and nothing is created", async () => {
    await toCreateForm();
    const before = await marketCount();
    const nameBefore = await admin.getByLabel("Name", { exact: true }).inputValue();
    const broken = structuredClone(BUILT_IN_SCENARIOS[0].file) as any;
    broken.market.symbols[2].price = -4;
    broken.news[1].impacts[0].symbol = "NOPE";
    await admin.locator('input[name="scenarioFile"]').setInputFiles({
      name: "broken.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    const alert = admin.getByRole("alert").filter({ hasText: "not a valid scenario" });
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain("market.symbols.2.price");
    expect(text).toContain("news.1.impacts.0.symbol");
    await shot(admin, "broken-file");
    expect(await admin.getByLabel("Name", { exact: true }).inputValue()).toBe(nameBefore);

    await admin.locator('input[name="scenarioFile"]').setInputFiles({
      name: "notes.json",
      mimeType: "application/json",
      buffer: Buffer.from("{ this is not json"),
    });
    await admin.getByRole("alert").filter({ hasText: "notes.json is not a JSON file" }).waitFor();
    expect(await marketCount()).toBe(before);
  });
});

describe.skipIf(!hasChromium)("rules and the news script", () => {
  test("rules set in the form are the market's; in the lobby and while trading the console changes what is safe", async () => {
    await toCreateForm();
    await admin.getByLabel("Scenario", { exact: true }).selectOption("classroom");
    await admin.getByLabel("Short selling").check();
    await admin.getByLabel("Late entry").uncheck();
    await admin.getByLabel("Fee per trade (%)").fill("0.25");
    await admin.getByLabel("Most shares per order").fill("300");
    await admin.getByLabel("Most open orders").fill("4");
    await admin.getByLabel("Orders per second").fill("2");
    await admin.getByLabel("Limit-price band (%)").fill("15");
    await admin.getByLabel("Halt when a price moves (%)").fill("12.5");
    await admin.getByLabel("Halt window (ticks)").fill("25");
    await admin.getByLabel("Halt lasts (ticks)").fill("8");
    await admin.getByLabel("Most players").fill("60");
    await admin.getByText("Price model (advanced)").click();
    await admin.getByLabel("Half spread (%)").fill("0.2");
    expect(await invalidInputs(admin)).toEqual([]);
    await shot(admin, "rules-form");
    const code = await pressCreate();
    expect((await adminMarket(code)).rules).toEqual({
      ...DEFAULT_RULES,
      currency: "USD",
      locale: "en-US",
      allowShort: true,
      lateEntry: false,
      feeRate: 0.0025,
      maxOrderQty: 300,
      maxOpenOrders: 4,
      ordersPerSecond: 2,
      limitPriceBand: 0.15,
      haltBand: 0.125,
      haltWindowTicks: 25,
      haltTicks: 8,
      maxPlayers: 60,
      halfSpread: 0.002,
    });

    // In the lobby: everything.
    const panel = admin.locator(".market-settings");
    await panel.getByLabel("Starting cash ($)").fill("1500");
    await panel.getByLabel("Fee per trade (%)").fill("0.5");
    await panel.getByRole("button", { name: "Save rules" }).click();
    await poll(async () => (await adminMarket(code)).rules?.feeRate).toBe(0.005);
    expect((await adminMarket(code)).startingCash).toBe(1500);

    // Trading: the fee is locked, the order limit still changes.
    await admin.getByRole("button", { name: "Open trading" }).click();
    await admin.getByRole("button", { name: "Yes, open trading" }).click();
    await poll(() => panel.getByLabel("Fee per trade (%)").isDisabled()).toBe(true);
    expect(await panel.getByLabel("Starting cash ($)").isDisabled()).toBe(true);
    await panel.getByLabel("Most shares per order").fill("120");
    await panel.getByRole("button", { name: "Save rules" }).click();
    await poll(async () => (await adminMarket(code)).rules?.maxOrderQty).toBe(120);
    expect((await adminMarket(code)).rules?.feeRate).toBe(0.005);
    await panel.scrollIntoViewIfNeeded();
    await shot(admin, "rules-trading");
  });

  test("the news script is edited in the form and on the live timeline", async () => {
    await toCreateForm();
    await admin.getByLabel("Scenario", { exact: true }).selectOption("classroom");
    // Three items come with the scenario: delete the second, move the new last one up.
    await admin.getByRole("button", { name: "Delete item 2" }).click();
    await admin.getByRole("button", { name: "+ Add a news item" }).click();
    await admin.getByLabel("Item 3 time after the open").fill("20:30");
    await admin.getByLabel("Item 3 headline").fill("Steel strike ends");
    await admin.getByLabel("Item 3 impact 1 stock").selectOption("STEEL");
    await admin.getByLabel("Item 3 impact 1 move %").fill("6");
    await admin.getByLabel("Item 3 impact 1 ticks").fill("3");
    await admin.getByRole("button", { name: "Move item 3 earlier" }).click();
    await admin.getByLabel("Item 1 text").fill("Watch SOLAR rise.");
    await shot(admin, "script-form");
    const code = await pressCreate();
    const created = (await newsOf(code)).map((n) => [n.afterOpenMs, n.headline, n.body]);
    expect(created).toEqual([
      [4 * 60_000, "A sunny summer is forecast: Sunny Solar expects record output", "Watch SOLAR rise."],
      [14 * 60_000, "Steel strike ends", ""],
      [20.5 * 60_000, "Holiday season: toy sales double", ""],
    ]);
    const steel = (await newsOf(code)).find((n) => n.headline === "Steel strike ends")!;
    expect(steel.impacts).toEqual([{ symbol: "STEEL", move: 0.06, ticks: 3 }]);

    // The live timeline: edit, reorder, delete, add.
    await admin.getByRole("heading", { name: "News script" }).scrollIntoViewIfNeeded();
    await admin.getByRole("button", { name: "Edit: Steel strike ends" }).click();
    await admin.getByLabel("Script item headline").fill("Steel strike ends early");
    await admin.getByLabel("Script item time after the open").fill("10:00");
    await admin.getByRole("button", { name: "Save item" }).click();
    await admin.getByText("Steel strike ends early").waitFor();
    await admin.getByRole("button", { name: "Move later: Steel strike ends early" }).click();
    await poll(
      async () => (await newsOf(code)).find((n) => n.headline === "Steel strike ends early")?.afterOpenMs,
    ).toBe(20.5 * 60_000);
    await admin.getByRole("button", { name: /^Delete: A sunny summer/ }).click();
    await admin.getByRole("button", { name: "+ Add a script item" }).click();
    await admin.getByLabel("New item time after the open").fill("25:00");
    await admin.getByLabel("New item headline").fill("Final bell special");
    await admin.getByRole("button", { name: "Add to the script" }).click();
    await admin.getByText("Final bell special").waitFor();
    await poll(async () =>
      (await newsOf(code))
        .filter((n) => n.status === "scheduled")
        .map((n) => [n.afterOpenMs, n.headline])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [10 * 60_000, "Holiday season: toy sales double"],
      [20.5 * 60_000, "Steel strike ends early"],
      [25 * 60_000, "Final bell special"],
    ]);
    expect(await admin.getByTestId("script-entry").count()).toBe(3);
    await admin.locator(".news-script").screenshot({ path: join(SHOTS, "scenario-script-timeline.png") });
  });
});

describe.skipIf(!hasChromium)("a phone", () => {
  test("opens 'How this market works' and reads the market's rules", async () => {
    const file = BUILT_IN_SCENARIOS.find((s) => s.id === "wild")!.file;
    const { market } = await call<{ market: MarketInfo }>(server.base, "/api/markets", {
      method: "POST",
      token: server.adminToken,
      body: { ...file.market, name: "Rules Night" },
    });
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await phone.newPage();
    await page.goto(`${server.base}/join/${market.code}`);
    await page.getByLabel("Nickname").fill("Rulesy");
    await page.getByRole("button", { name: "Join the market" }).click();
    await page.getByRole("button", { name: "How it works" }).click();
    const sheet = page.getByRole("dialog", { name: "How this market works" });
    await sheet.waitFor();
    const text = await sheet.innerText();
    expect(text).toContain("You start with $10,000.00 in cash");
    expect(text).toContain("Prices move every 1 second");
    expect(text).toContain("Short selling is allowed");
    expect(text).toContain("a fee of 0.2% of its value");
    expect(text).toContain(
      "At most 20,000 shares in one order, 30 open limit orders at a time, and 10 orders a second",
    );
    expect(text).toContain("moves more than 25% within 20 ticks (20 seconds) stops trading for 10 ticks (10 seconds)");
    expect(text).toContain("No late entries");
    const box = await sheet.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844).toBe(true);
    await page.screenshot({ path: join(SHOTS, "scenario-phone-rules.png") });
    await sheet.getByRole("button", { name: "Got it" }).click();
    await poll(() => sheet.isVisible()).toBe(false);
    await phone.close();
  });
});
