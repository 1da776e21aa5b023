/**
 * One timed event, end to end, only through the screens people use: the organiser (1366x768)
 * schedules the open and a duration in the console's create form; two phones (360x740,
 * 390x844) see "opens in", then the time left, trade, and at the automatic close see their
 * own result and download their trades; the projector is checked at four sizes in the
 * lobby, trading, halted, paused and results states (layout.ts). The bell is real time a
 * few seconds ahead; every wait is for a condition (the server's state or the page's).
 * Screenshots in test-artifacts/browser/event-*.png (UPDATE_DOCS_SCREENS=1 also refreshes
 * the README's docs/screens/).
 */
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MarketSnapshot, PlayerResult } from "../../worker/shared/protocol";
import { BUILT_IN_SCENARIOS } from "../../web/src/lib/scenarios";
import { expectProjectorFitsEverySize } from "./layout";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const DOCS = join(ROOT, "docs", "screens");
const hasChromium = chromiumAvailable();
const CODE = `EV${Date.now().toString(36).toUpperCase().slice(-6)}`;
/**
 * The create form schedules the open well ahead and a 10-minute game, so a slow machine
 * cannot miss a step; once the lobby is checked the organiser moves the open to a few
 * seconds ahead in the Schedule card, and once trading is checked, the close to 24 s from
 * then (the final minute), both as an organiser would on the day.
 */
const OPENS_IN_MS = 5 * 60_000;
const MOVED_OPEN_MS = 8_000;
const MINUTES = "10";
/** The create form starts with the first built-in scenario (its news comes minutes after the open, past this test). */
const [FIRST, SECOND] = BUILT_IN_SCENARIOS[0].file.market.symbols.map((s) => s.symbol);

let server: TestServer;
let browser: Browser;
let admin: Page;
let screen: Page;
const phones: { page: Page; ctx: BrowserContext; name: string; size: string }[] = [];

const shot = async (page: Page, name: string, docs?: string) => {
  const path = join(SHOTS, `event-${name}.png`);
  await page.screenshot({ path });
  if (docs && process.env.UPDATE_DOCS_SCREENS) copyFileSync(path, join(DOCS, `${docs}.png`));
};
const status = async () => (await call<MarketSnapshot>(server.base, `/api/markets/${CODE}`)).market.status;
const tokenOf = (page: Page) =>
  page.evaluate((c) => JSON.parse(localStorage.getItem(`mf:player:${c}`)!).token as string, CODE);

/** The projector at each size: nothing past the edges, nothing over the standings. */
async function projectorAtEverySize(state: string, extra?: (page: Page) => Promise<void>) {
  await expectProjectorFitsEverySize(screen, state, async (size) => {
    await extra?.(screen);
    const forDocs = size.width === 1366 && ["lobby", "trading", "results"].includes(state);
    await shot(screen, `screen-${state}-${size.width}x${size.height}`, forDocs ? `screen-${state}` : undefined);
  });
}

/** A time `ms` ahead as the browser's datetime-local input takes it (local time, whole seconds). */
function localTimeAhead(page: Page, ms: number): Promise<string> {
  return page.evaluate((ahead) => {
    const d = new Date(Math.ceil((Date.now() + ahead) / 1000) * 1000);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, ms);
}

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  if (process.env.UPDATE_DOCS_SCREENS) mkdirSync(DOCS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  admin = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!hasChromium)("a timed event from the console to the results", () => {
  test("the organiser schedules the open and the length in the create form", async () => {
    await admin.goto(`${server.base}/admin`);
    await admin.getByLabel("Organiser token").fill(server.adminToken);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByRole("heading", { name: "Create a market" }).waitFor();
    await admin.getByLabel("Name", { exact: true }).fill("Fest Finals");
    await admin.getByLabel(/^Code/).fill(CODE);
    await admin.getByRole("combobox", { name: /Opens/ }).selectOption("at");
    const opensAt = await localTimeAhead(admin, OPENS_IN_MS);
    await admin.getByLabel("Opening time", { exact: true }).fill(opensAt);
    await admin.getByRole("combobox", { name: /Closes/ }).selectOption("after");
    await admin.getByLabel("Minutes of trading", { exact: true }).fill(MINUTES);
    await shot(admin, "console-create-scheduled", "console-create-scheduled");
    await admin.getByRole("button", { name: "Create market" }).click();
    await admin.waitForURL(`**/admin/${CODE}`);

    const snap = await call<MarketSnapshot>(server.base, `/api/markets/${CODE}`);
    expect(snap.market.status).toBe("lobby");
    expect(snap.market.session).toMatchObject({ closesAt: null, durationMs: 600_000 });
    expect(snap.market.session!.opensAt).toBe(await admin.evaluate((t) => new Date(t).getTime(), opensAt));
    await admin
      .getByTestId("session-summary")
      .getByText(/Opens by itself at .*closes 10 min after the open/)
      .waitFor();
    await shot(admin, "console-room-scheduled");
  });

  test("phones join and count down to the bell; the projector's lobby fits every size", async () => {
    for (const [name, size] of [
      ["Asha", { width: 360, height: 740 }],
      ["Bilal", { width: 390, height: 844 }],
    ] as const) {
      const ctx = await browser.newContext({ viewport: size, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await ctx.newPage();
      await page.goto(`${server.base}/join/${CODE}`);
      await page.getByLabel("Nickname").fill(name);
      await page.getByRole("button", { name: "Join the market" }).click();
      await page.waitForURL(`**/play/${CODE}`);
      await page.locator('[data-testid="session-clock"][data-kind="opens"]').waitFor();
      expect(await page.getByTestId("session-clock").innerText()).toMatch(/Opens in\s*[45]:\d\d/);
      phones.push({ page, ctx, name, size: `${size.width}x${size.height}` });
      await shot(page, `phone-lobby-${size.width}x${size.height}`);
    }

    await screen.goto(`${server.base}/screen/${CODE}`);
    await screen.locator('[data-testid="screen"][data-status="lobby"] [data-testid="session-clock"]').waitFor();
    await screen.getByTestId("screen-count").getByText("2").waitFor();
    await projectorAtEverySize("lobby", async (page) => {
      // Scannable from the back of the hall: at least a quarter of the screen's height.
      const qr = await page.locator(".sc-qr-big .qr").boundingBox();
      const h = page.viewportSize()!.height;
      expect(qr!.height).toBeGreaterThanOrEqual(h / 4);
      expect(await page.locator(".sc-qr-big .qr").getAttribute("data-qr-text")).toBe(`${server.base}/join/${CODE}`);
    });
  });

  test("the organiser moves the open forward; the bell rings on time; phones show the time left and trade", async () => {
    await admin.getByLabel("Opening time", { exact: true }).fill(await localTimeAhead(admin, MOVED_OPEN_MS));
    await admin.getByRole("button", { name: "Save schedule" }).click();
    await admin
      .getByTestId("session-summary")
      .getByText(/Opens by itself/)
      .waitFor();
    await expect.poll(status, { timeout: 60_000, interval: 500 }).toBe("open");
    for (const [i, p] of phones.entries()) {
      await p.page.locator('[data-testid="session-clock"][data-kind="left"]').waitFor();
      expect(await p.page.getByTestId("session-clock").innerText()).toMatch(/Time left\s*\d+:\d\d/);
      for (const [symbol, qty] of [
        [FIRST, 10],
        [SECOND, 25],
      ] as const) {
        await p.page.locator(`.pane-market li[data-symbol="${symbol}"] button`).click();
        await p.page.getByRole("button", { name: `Quantity ${qty}`, exact: true }).click();
        await p.page.getByRole("button", { name: new RegExp(`^Buy ${qty} ${symbol}`) }).click();
        await p.page
          .getByTestId("ticket-result")
          .getByText(new RegExp(`Bought ${qty} ${symbol}`))
          .waitFor();
        await p.page.getByRole("button", { name: "← All stocks" }).click();
      }
      if (i === 0) await shot(p.page, `phone-trading-${p.size}`);
    }
    await screen.locator('[data-testid="screen"][data-status="open"] [data-testid="session-clock"]').waitFor();
    await screen.locator('[data-testid="screen-leaders"] .sc-lname').nth(1).waitFor();
    await projectorAtEverySize("trading");
  }, 150_000);

  test("breaking news moves the projector's chart to its stock, and its halt never hides the standings", async () => {
    await admin.getByLabel("Headline", { exact: true }).fill(`${SECOND} triples its forecast`);
    await admin.getByLabel("Stock for effect 1").selectOption(SECOND);
    await admin.getByLabel("Move in percent for effect 1").fill("40");
    await admin.getByLabel("Ticks for effect 1").fill("1");
    await admin.getByRole("button", { name: "Publish now" }).click();
    await screen.locator(".sc-sym").getByText(SECOND, { exact: true }).waitFor({ timeout: 10_000 });
    // +40% in a tick trips the circuit breaker: a halt with its own countdown.
    await screen.getByTestId("screen-overlay").getByText(`${SECOND} halted`).waitFor({ timeout: 15_000 });
    await screen
      .locator(".sc-halt")
      .getByText(/resumes in \d:\d\d/)
      .waitFor();
    await projectorAtEverySize("halted");

    await admin.getByRole("button", { name: "Pause", exact: true }).click();
    await admin.getByRole("button", { name: "Yes, pause" }).click();
    await screen.getByTestId("screen-overlay").getByText("Trading paused").waitFor();
    await projectorAtEverySize("paused");
    await admin.getByRole("button", { name: "Resume", exact: true }).click();
    await admin.getByRole("button", { name: "Yes, resume" }).click();
    await expect.poll(status).toBe("open");

    // Scheduled news: one for a few seconds ahead publishes by itself; one for later is cancelled.
    const soon = `${FIRST} wins a city contract`;
    const later = `${FIRST} chairman to speak tonight`;
    for (const [headline, ahead] of [
      [later, 30 * 60_000],
      [soon, 6_000],
    ] as const) {
      await admin.getByLabel("Headline", { exact: true }).fill(headline);
      await admin.getByLabel("Stock for effect 1").selectOption(FIRST);
      await admin.getByLabel("Move in percent for effect 1").fill("2");
      await admin.getByLabel("At a time").check();
      await admin.getByLabel("Publish at").fill(await localTimeAhead(admin, ahead));
      await admin.getByRole("button", { name: "Schedule news" }).click();
      await admin.getByRole("button", { name: `Cancel scheduled news: ${headline}` }).waitFor();
    }
    const newsOf = async (headline: string) =>
      (
        await call<{ news: { headline: string; status: string }[] }>(server.base, `/api/markets/${CODE}/news`, {
          token: server.adminToken,
        })
      ).news.find((n) => n.headline === headline)?.status;
    expect(await newsOf(soon)).toBe("scheduled");
    await admin.getByRole("button", { name: `Cancel scheduled news: ${later}` }).click();
    await expect.poll(() => newsOf(later)).not.toBe("scheduled");
    await screen.getByTestId("screen-flash").getByText(soon).waitFor({ timeout: 20_000 });
    expect(await newsOf(soon)).toBe("published");
    await admin.getByRole("button", { name: `Cancel scheduled news: ${soon}` }).waitFor({ state: "detached" });
  }, 150_000);

  test("the organiser brings the close forward; it closes by itself; every phone shows its result and downloads its trades", async () => {
    await admin.getByLabel("Minutes of trading", { exact: true }).fill("0.4");
    await admin.getByRole("button", { name: "Save schedule" }).click();
    const p0 = phones[0].page;
    await p0.locator('[data-testid="session-clock"][data-kind="final"]').waitFor({ timeout: 80_000 });
    expect(await p0.getByTestId("session-clock").innerText()).toMatch(/Final minute\s*0:\d\d/);
    await shot(p0, `phone-final-minute-${phones[0].size}`);
    await screen.locator('[data-testid="session-clock"][data-kind="final"]').waitFor();
    expect(await screen.getByTestId("session-clock").innerText()).toMatch(/Final minute\s*0:\d\d/);
    await expect.poll(status, { timeout: 80_000, interval: 500 }).toBe("closed");

    for (const p of phones) {
      await p.page.getByTestId("my-result").getByTestId("result-rank").waitFor();
      expect(await p.page.getByTestId("session-clock").count()).toBe(0); // the countdown stopped
      const token = await tokenOf(p.page);
      const mine = await call<PlayerResult>(server.base, `/api/markets/${CODE}/me/result`, { token });
      expect(mine).toMatchObject({ name: p.name, trades: 2, players: 2 });
      expect(await p.page.getByTestId("result-rank").innerText()).toBe(`#${mine.rank}`);
      expect(await p.page.getByTestId("best-trade").innerText()).toContain(mine.bestTrade!.symbol);
      expect(await p.page.getByTestId("worst-trade").innerText()).toContain(mine.worstTrade!.symbol);
      await shot(p.page, `phone-result-${p.size}`, p.size === "360x740" ? "phone-result" : undefined);

      const [download] = await Promise.all([
        p.page.waitForEvent("download"),
        p.page.getByTestId("download-trades").click(),
      ]);
      const csv = readFileSync((await download.path())!, "utf8");
      const res = await fetch(`${server.base}/api/markets/${CODE}/me/fills.csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(csv).toBe(await res.text());
      expect(csv.split("\r\n")[0]).toBe("fill_id,order_id,symbol,side,qty,price,value,fee,time");
      expect(csv.trimEnd().split("\r\n")).toHaveLength(3);
    }

    // The organiser's exports, from the room's Players card, are the API's files.
    for (const [button, kind] of [
      ["Download standings CSV", "standings"],
      ["Download fills CSV", "fills"],
    ] as const) {
      const [download] = await Promise.all([
        admin.waitForEvent("download"),
        admin.getByRole("button", { name: button }).click(),
      ]);
      const csv = readFileSync((await download.path())!, "utf8");
      const res = await fetch(`${server.base}/api/markets/${CODE}/export/${kind}.csv`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      expect(res.status).toBe(200);
      expect(csv).toBe(await res.text());
      expect(csv.trimEnd().split("\r\n").length, kind).toBe(kind === "fills" ? 1 + 4 : 1 + 2);
    }
  }, 150_000);

  test("the projector switches to the results, which nothing covers, at every size", async () => {
    await screen.getByTestId("screen-results").getByTestId("results-podium").waitFor();
    expect(await screen.getByTestId("session-clock").count()).toBe(0);
    expect(await screen.locator(".sc-halt, .sc-state, .sc-flash").count()).toBe(0);
    const results = await call<{ leaders: { name: string }[]; bestStock: { symbol: string } }>(
      server.base,
      `/api/markets/${CODE}/results`,
    );
    expect(await screen.getByTestId("results-podium").innerText()).toContain(results.leaders[0].name);
    expect(await screen.getByTestId("results-best-stock").innerText()).toContain(results.bestStock.symbol);
    await screen.getByTestId("results-biggest-trade").waitFor();
    await projectorAtEverySize("results");
  });
});
