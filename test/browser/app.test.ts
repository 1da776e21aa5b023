/**
 * The web app in a real browser against `wrangler dev`: what a player on a phone, the
 * organiser and the projector actually see. Screenshots of every screen go to
 * test-artifacts/browser/ so a person can look at them.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MarketInfo, Portfolio } from "../../worker/shared/protocol";
import { eventually } from "../support/wait";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const CODE = `BR${Date.now().toString(36).toUpperCase().slice(-6)}`;
const PLAYER = "Asha";

let server: TestServer;
let browser: Browser;
let phone: BrowserContext;
let player: Page;

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

/** The number the page shows for a stock's price in the list. */
async function listedPrice(page: Page, symbol: string): Promise<number> {
  const text = await page.locator(`.pane-market li[data-symbol="${symbol}"] .s-price`).innerText();
  return Number(text.replace(/[^0-9.]/g, ""));
}

const hasChromium = chromiumAvailable();

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  // A market with a quick tick so the test sees several ticks in a few seconds.
  await call<{ market: MarketInfo }>(server.base, "/api/markets", {
    method: "POST",
    token: server.adminToken,
    body: {
      code: CODE,
      name: "Browser Test Market",
      startingCash: 10000,
      tickMs: 1000,
      symbols: [
        { symbol: "BYTE", name: "Byte Robotics", price: 120, sector: "Tech", volatility: 0.03, liquidity: 20000 },
        { symbol: "CHAI", name: "Chai Point", price: 42.5, sector: "Food", volatility: 0.03, liquidity: 20000 },
        { symbol: "GRID", name: "GridLine Energy", price: 64.2, sector: "Energy", volatility: 0.03, liquidity: 20000 },
        { symbol: "BEAT", name: "BeatBox Music", price: 18.75, sector: "Media", volatility: 0.03, liquidity: 20000 },
      ],
    },
  });
  await call(server.base, `/api/markets/${CODE}/control`, {
    method: "POST",
    token: server.adminToken,
    body: { action: "open" },
  });
  // A few other players, so the leaderboard has a race in it.
  for (const [i, name] of ["Ben", "Chen", "Dara", "Eli"].entries()) {
    const { token } = await call<{ token: string }>(server.base, `/api/markets/${CODE}/join`, {
      method: "POST",
      body: { name },
    });
    await call(server.base, `/api/markets/${CODE}/orders`, {
      method: "POST",
      token,
      body: {
        clientOrderId: `seed-${i}`,
        symbol: ["CHAI", "GRID", "BEAT", "CHAI"][i],
        side: "buy",
        qty: 20 + i * 15,
        type: "market",
      },
    });
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  phone = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  player = await phone.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!hasChromium)("the web app in a browser", () => {
  test("the landing page shows the market's prices live", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/?code=${CODE}`);
    await page.locator('[data-conn="live"]').waitFor();
    await page.locator('li[data-symbol="BYTE"]').waitFor();
    await shot(page, "01-landing-desktop");
    await ctx.close();
  });

  test("a player joins from a phone, buys, and sees the fill and the portfolio change", async () => {
    await player.goto(`${server.base}/join/${CODE}`);
    await player.getByLabel("Nickname").fill(PLAYER);
    await shot(player, "02-join-phone");
    await player.getByRole("button", { name: "Join the market" }).click();
    await player.waitForURL(`**/play/${CODE}`);
    await player.locator('[data-conn="live"]').waitFor();
    await player.locator('.pane-market li[data-symbol="BYTE"]').waitFor();
    await shot(player, "03-market-phone");

    // The cash before the order, as the portfolio shows it.
    await player.getByRole("button", { name: "Portfolio" }).click();
    const cashBefore = await player.getByTestId("cash").innerText();
    expect(cashBefore).toContain("10,000.00");
    await player.getByRole("button", { name: "Market" }).click();

    await player.locator('.pane-market li[data-symbol="BYTE"] button').click();
    await player.locator(".chart canvas").first().waitFor();
    await player.getByRole("button", { name: "Quantity 10", exact: true }).click();
    const buy = player.getByRole("button", { name: /^Buy 10 BYTE/ });
    // A double tap must not place two orders.
    await buy.dblclick();
    const result = player.getByTestId("ticket-result");
    await result.waitFor();
    expect(await result.innerText()).toMatch(/Bought 10 BYTE at \$1\d\d\.\d\d/);
    await shot(player, "04-ticket-filled-phone");

    await player.getByRole("button", { name: "Portfolio" }).click();
    await player.locator('[data-testid="portfolio"] tr[data-symbol="BYTE"]').waitFor();
    const row = await player.locator('[data-testid="portfolio"] tr[data-symbol="BYTE"]').innerText();
    expect(row).toMatch(/\b10\b/);
    expect(await player.getByTestId("cash").innerText()).not.toBe(cashBefore);
    await shot(player, "05-portfolio-phone");

    await player.getByRole("button", { name: "Orders" }).click();
    await player.locator('[data-testid="fills"] li[data-fill]').first().waitFor();
    expect(await player.locator('[data-testid="fills"] li[data-fill]').count()).toBe(1);
    await shot(player, "06-orders-fills-phone");

    // The server agrees: one order, ten shares.
    const token = await player.evaluate(
      (c) => JSON.parse(localStorage.getItem(`mf:player:${c}`)!).token as string,
      CODE,
    );
    const pf = await call<Portfolio>(server.base, `/api/markets/${CODE}/portfolio`, { token });
    expect(pf.positions.find((p) => p.symbol === "BYTE")?.qty).toBe(10);
  });

  test("the organiser publishes news in the console; the player sees the toast and the price move", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await ctx.newPage();
    await admin.goto(`${server.base}/admin`);
    await admin.getByLabel("Organiser token").fill(server.adminToken);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByRole("heading", { name: "Markets" }).waitFor();
    await shot(admin, "07-admin-markets");
    await admin.goto(`${server.base}/admin/${CODE}`);
    await admin.locator('[data-conn="live"]').waitFor();
    await admin
      .getByRole("cell", { name: PLAYER })
      .or(admin.getByRole("rowheader", { name: PLAYER }))
      .first()
      .waitFor();

    await player.getByRole("button", { name: "Market" }).click();
    await player.getByRole("button", { name: "← All stocks" }).click();
    const before = await listedPrice(player, "GRID");

    await admin.getByLabel("Headline").fill("GridLine wins the national power contract");
    await admin.getByLabel("Stock for effect 1").selectOption("GRID");
    await admin.getByLabel("Move in percent for effect 1").fill("25");
    await admin.getByLabel("Ticks for effect 1").fill("1");
    await admin.locator(".preview").waitFor();
    expect(await admin.locator(".preview").innerText()).toContain("GRID");
    await shot(admin, "08-admin-news-preview");
    await admin.getByRole("button", { name: "Publish now" }).click();

    const toast = player.locator('.toast[data-kind="news"]');
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.innerText()).toContain("GridLine wins");
    await shot(player, "09-news-toast-phone");
    // +25% spread over one tick: the listed price climbs well above where it was.
    await player.waitForFunction(
      ([b]) => {
        const el = document.querySelector('.pane-market li[data-symbol="GRID"] .s-price');
        return !!el && Number(el.textContent!.replace(/[^0-9.]/g, "")) > b * 1.12;
      },
      [before],
      { timeout: 10_000 },
    );
    await shot(admin, "10-admin-console");
    await ctx.close();
  });

  test("the player's connection drops and comes back, and the screen resyncs", async () => {
    const badge = player.locator(".topbar .conn");
    const seqBefore = Number(await badge.getAttribute("data-seq"));
    const snapsBefore = Number(await badge.getAttribute("data-snapshots"));
    await phone.setOffline(true);
    await player.locator('.topbar [data-conn="offline"]').waitFor();
    await shot(player, "11-offline-phone");
    // Ticks go on without us while we are away: wait until the market is three messages on.
    await eventually(
      async () => (await call<{ seq: number }>(server.base, `/api/markets/${CODE}`)).seq > seqBefore + 2,
      "three public messages while the phone is offline",
    );
    await phone.setOffline(false);
    await player.locator('.topbar [data-conn="live"]').waitFor({ timeout: 15_000 });
    expect(Number(await badge.getAttribute("data-snapshots"))).toBeGreaterThan(snapsBefore);
    expect(Number(await badge.getAttribute("data-seq"))).toBeGreaterThan(seqBefore + 2);
    await shot(player, "12-back-live-phone");
  });

  test("a refused order is explained in plain words", async () => {
    await player.locator('.pane-market li[data-symbol="BYTE"] button').click();
    await player.getByRole("radio", { name: "Sell" }).click();
    await player.getByRole("spinbutton", { name: "Quantity" }).fill("500");
    await player.getByRole("button", { name: /^Sell 500 BYTE/ }).click();
    const result = player.getByTestId("ticket-result");
    await player.waitForFunction(() =>
      document.querySelector('[data-testid="ticket-result"]')?.classList.contains("error"),
    );
    expect(await result.innerText()).toContain("don't own enough shares");
    await shot(player, "13-ticket-error-phone");
  });

  test("the organiser pauses the market with a confirmation; the player's ticket says so", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await ctx.newPage();
    // A fresh browser context: the organiser signs in once, then the token is remembered.
    await admin.goto(`${server.base}/admin/${CODE}`);
    await admin.getByLabel("Organiser token").fill(server.adminToken);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.locator('[data-conn="live"]').waitFor();
    await admin.getByRole("button", { name: "Pause", exact: true }).click();
    await admin.getByRole("alertdialog").waitFor();
    await admin.getByRole("button", { name: "Yes, pause" }).click();
    await player.getByText("The market is paused. Orders open again when it resumes.").waitFor({ timeout: 10_000 });
    expect(await player.getByRole("button", { name: /^Sell/ }).isDisabled()).toBe(true);
    await shot(player, "14-paused-phone");
    await admin.getByRole("button", { name: "Resume", exact: true }).click();
    await admin.getByRole("button", { name: "Yes, resume" }).click();
    await player
      .getByText("The market is paused. Orders open again when it resumes.")
      .waitFor({ state: "detached", timeout: 10_000 });
    await ctx.close();
  });

  test("the projector shows the leaderboard and flashes breaking news", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/screen/${CODE}`);
    await page.locator('[data-testid="screen-leaders"] li').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="screen-leaders"] li').length >= 5);
    const board = await page.getByTestId("screen-leaders").innerText();
    expect(board).toContain(PLAYER);
    await page.locator(".sc-chart canvas").first().waitFor();
    await page.waitForTimeout(1500);
    await shot(page, "15-projector");
    await call(server.base, `/api/markets/${CODE}/news`, {
      method: "POST",
      token: server.adminToken,
      body: { headline: "Chai Point opens 500 new stores", impacts: [{ symbol: "CHAI", move: 0.06, ticks: 3 }] },
    });
    await page.getByTestId("screen-flash").waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("screen-flash").innerText()).toContain("Chai Point opens");
    await page.waitForTimeout(800);
    await shot(page, "16-projector-news");
    await ctx.close();
  });

  test("before the bell the projector fills up as players join", async () => {
    const lobby = `LB${Date.now().toString(36).toUpperCase().slice(-6)}`;
    await call(server.base, "/api/markets", {
      method: "POST",
      token: server.adminToken,
      body: {
        code: lobby,
        name: "Lobby Night",
        startingCash: 10000,
        tickMs: 1000,
        symbols: [
          { symbol: "BYTE", name: "Byte Robotics", price: 120, sector: "Tech", volatility: 0.03, liquidity: 20000 },
        ],
      },
    });
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/screen/${lobby}`);
    await page.getByText("Scan the code to join!").waitFor();
    for (const name of ["Meera", "Tomas", "Yuki"])
      await call(server.base, `/api/markets/${lobby}/join`, { method: "POST", body: { name } });
    // No reload, no resync: the market's lobby message brings the names and the count.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="screen-leaders"] li').length === 3,
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.getByTestId("screen-count").innerText()).toMatch(/3\s+players/);
    const board = await page.getByTestId("screen-leaders").innerText();
    for (const name of ["Meera", "Tomas", "Yuki"]) expect(board).toContain(name);
    await page.waitForTimeout(1500); // let the rows finish sliding in before the picture
    await shot(page, "17-projector-lobby");
    await ctx.close();
  });
});
