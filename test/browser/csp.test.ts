/**
 * The app under its own content security policy (web/public/_headers, as `wrangler dev`
 * serves it): a player joins, opens a stock's chart and buys; the projector shows its QR
 * code; the organiser signs in. Every page must run without one policy violation, whether
 * the browser reports it as a `securitypolicyviolation` event or on the console.
 * Screenshots: test-artifacts/browser/csp-*.png.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MarketInfo } from "../../worker/shared/protocol";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type TestServer, call, chromiumAvailable, startServer } from "./server";

const SHOTS = join(ROOT, "test-artifacts", "browser");
const hasChromium = chromiumAvailable();

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

/** A page that records every policy violation, from the first script on. */
async function watchedPage(ctx: BrowserContext, violations: string[]): Promise<Page> {
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const seen = ((window as unknown as { __csp?: string[] }).__csp ??= []);
      seen.push(`${e.violatedDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
  });
  return page;
}

async function violationsIn(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

describe.skipIf(!hasChromium)("the content security policy", () => {
  test("the player's, the projector's and the organiser's screens run under it without a violation", async () => {
    const { market } = await call<{ market: MarketInfo }>(server.base, "/api/markets", {
      method: "POST",
      token: server.adminToken,
      body: {
        name: "Policy Night",
        startingCash: 10000,
        tickMs: 1000,
        symbols: [
          { symbol: "BYTE", name: "Byte Labs", price: 40 },
          { symbol: "GRID", name: "GridLine", price: 25 },
        ],
      },
    });
    const code = market.code;
    await call(server.base, `/api/markets/${code}/control`, {
      method: "POST",
      token: server.adminToken,
      body: { action: "open" },
    });

    const console: string[] = [];
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const player = await watchedPage(phone, console);
    const joinPage = await player.goto(`${server.base}/join/${code}`);
    // The policy really is on the page (else "no violation" would prove nothing).
    expect(joinPage?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await player.getByLabel("Nickname").fill("Polly");
    await player.getByRole("button", { name: "Join the market" }).click();
    await player.waitForURL(`**/play/${code}`);
    await player.locator('.pane-market li[data-symbol="BYTE"] button').click();
    // The chart (lightweight-charts, its own chunk) draws on canvases.
    await player.locator(".chart canvas").first().waitFor();
    await player.getByRole("button", { name: "Quantity 10", exact: true }).click();
    await player.getByRole("button", { name: /^Buy 10 BYTE/ }).click();
    await player.getByTestId("ticket-result").waitFor();
    await player.screenshot({ path: join(SHOTS, "csp-player.png") });
    expect(await violationsIn(player), "player").toEqual([]);

    const hall = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const projector = await watchedPage(hall, console);
    await projector.goto(`${server.base}/screen/${code}`);
    await projector.locator("svg").first().waitFor();
    await projector.getByText("Polly").first().waitFor();
    await projector.locator(".sc-chart-box canvas").first().waitFor();
    await projector.screenshot({ path: join(SHOTS, "csp-projector.png") });
    expect(await violationsIn(projector), "projector").toEqual([]);

    const desk = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const admin = await watchedPage(desk, console);
    await admin.goto(`${server.base}/admin`);
    await admin.getByLabel("Organiser token").fill(server.adminToken);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByRole("heading", { name: "Markets" }).waitFor();
    await admin.goto(`${server.base}/admin/${code}`);
    await admin.getByText("Polly").first().waitFor();
    await admin.screenshot({ path: join(SHOTS, "csp-organiser.png") });
    expect(await violationsIn(admin), "organiser").toEqual([]);

    expect(console).toEqual([]);
    // And the order the player pressed for went through.
    const players = await call<{ players: { name: string }[] }>(server.base, `/api/markets/${code}/players`, {
      token: server.adminToken,
    });
    expect(players.players.map((p) => p.name)).toContain("Polly");
    await Promise.all([phone.close(), hall.close(), desk.close()]);
  });
});
