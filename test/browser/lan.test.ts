/**
 * A laptop-hosted event: `npm start -- --lan` serves on the machine's network address,
 * prints the URL phones open, and the projector's QR code (opened on the laptop itself, at
 * 127.0.0.1) points phones to that address, not to the loopback.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { renderSVG } from "uqr";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lanAddress } from "../../dev/lan.mjs";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, chromiumAvailable } from "./server";

const hasChromium = chromiumAvailable();
const lan: string | null = lanAddress();
let child: ChildProcess;
let out = "";
let port = 0;
let state = "";
let browser: Browser;

const freePort = () =>
  new Promise<number>((ok) => {
    const srv = createServer().listen(0, "0.0.0.0", () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => ok(p));
    });
  });

beforeAll(async () => {
  if (!hasChromium || !lan) return;
  port = await freePort();
  state = mkdtempSync(join(tmpdir(), "marketflow-lan-"));
  child = spawn(process.execPath, ["dev/start.mjs", "--lan"], {
    cwd: ROOT,
    // Its own tokens and data (no .dev.vars written, no .wrangler/state touched). It builds
    // the web app as `npm start` does, unless SKIP_WEB_BUILD says it is built already.
    env: {
      ...process.env,
      PORT: String(port),
      STATE_DIR: state,
      ADMIN_TOKEN: "lan-test-admin-token",
      JWT_SECRET: `lan-test-${"x".repeat(32)}`,
      WRANGLER_SEND_METRICS: "false",
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 120_000;
  while (!out.includes("MarketFlow is running.")) {
    if (child.exitCode !== null) throw new Error(`npm start -- --lan exited:\n${out}`);
    if (Date.now() > deadline) throw new Error(`npm start -- --lan did not start in 2 min:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  // The whole group: start.mjs and the wrangler it started (and nothing else).
  if (child?.pid && child.exitCode === null) {
    const gone = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([gone, new Promise((r) => setTimeout(r, 8000))]);
  }
  if (state) rmSync(state, { recursive: true, force: true });
});

describe.skipIf(!hasChromium || !lan)("npm start -- --lan", () => {
  test("prints the URL phones open on the network address, and answers there", async () => {
    const origin = `http://${lan}:${port}`;
    expect(out).toContain(`Players:    ${origin}/join/DEMO`);
    expect(out).toContain(`Projector:  ${origin}/screen/DEMO`);
    expect(out).toMatch(/same Wi-Fi/);
    expect(out.slice(out.indexOf("MarketFlow is running."))).not.toContain("127.0.0.1");
    const health = await fetch(`${origin}/api/health`);
    expect(health.status).toBe(200);
    // Asked at the loopback address, the Worker still names the network address.
    const site = await (await fetch(`http://127.0.0.1:${port}/api/site`)).json();
    expect(site).toEqual({ publicOrigin: origin });
  });

  test("the projector opened on the laptop shows a QR code for the network address", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`http://127.0.0.1:${port}/screen/DEMO`);
    const qr = page.locator(".sc-qr .qr");
    const target = `http://${lan}:${port}/join/DEMO`;
    await expect.poll(() => qr.getAttribute("data-qr-text")).toBe(target);
    // What the code encodes, not only what it says: the same symbol as one rendered for the target.
    const modules = /<path[^>]* d="([^"]+)"/.exec(renderSVG(target, { border: 2, ecc: "M" }))![1];
    await expect.poll(() => qr.locator("path").getAttribute("d")).toBe(modules);
    expect(await page.locator(".sc-url").innerText()).toBe(`${lan}:${port}/join`);
  });
});
