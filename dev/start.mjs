#!/usr/bin/env node
/**
 * `npm start`: installs the dependencies if they are missing, builds the web app, runs the Worker with `wrangler dev` on its own SQLite
 * (no Postgres, Redis or Docker needed), creates the open demo market DEMO if it is not
 * there yet, and prints where to go.
 *
 * `npm start -- --lan` (or LAN=1): a laptop-hosted event. wrangler listens on every
 * address (0.0.0.0) and the Worker is told the laptop's network address (dev/lan.mjs) as
 * PUBLIC_ORIGIN, so the QR code and the join links point phones there. Without it,
 * everything stays on 127.0.0.1.
 *
 * Settings: PORT (default 8787); ADMIN_TOKEN, JWT_SECRET, DATABASE_URL, PG_WS_PROXY,
 * UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN, PUBLIC_ORIGIN from the environment or
 * .dev.vars; LAN_ADDRESS (the address --lan uses); STATE_DIR (where the local data lives,
 * default .wrangler/state); SKIP_WEB_BUILD=1 to serve the web app as last built.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { DEMO_MARKET } from "./demo-market.mjs";
import { lanAddress } from "./lan.mjs";
import { ensureInstalled, ensureModernNode, localBin, root } from "./node.mjs";
import { buildWebApp } from "./web-build.mjs";

ensureModernNode();
ensureInstalled();

const PORT = Number(process.env.PORT ?? 8787);
const PASSED_THROUGH = ["DATABASE_URL", "PG_WS_PROXY", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"];
const LAN = process.argv.includes("--lan") || process.env.LAN === "1";
const lanIp = LAN ? lanAddress() : null;
if (LAN && !lanIp) {
  console.error("--lan: this machine has no network address (no non-internal IPv4). Join a Wi-Fi network first.");
  process.exit(1);
}
if (lanIp) process.env.PUBLIC_ORIGIN ||= `http://${lanIp}:${PORT}`;

/** Reads .dev.vars (KEY=value lines), adding ADMIN_TOKEN and JWT_SECRET once if missing. */
function ensureDevVars() {
  const path = join(root, ".dev.vars");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (m) vars[m[1]] = m[2];
  }
  let added = "";
  if (!vars.ADMIN_TOKEN && !process.env.ADMIN_TOKEN) {
    vars.ADMIN_TOKEN = randomBytes(18).toString("base64url");
    added += `ADMIN_TOKEN=${vars.ADMIN_TOKEN}\n`;
  }
  if (!vars.JWT_SECRET && !process.env.JWT_SECRET) {
    vars.JWT_SECRET = randomBytes(32).toString("base64url");
    added += `JWT_SECRET=${vars.JWT_SECRET}\n`;
  }
  if (added) {
    writeFileSync(path, (text && !text.endsWith("\n") ? text + "\n" : text) + added);
    console.log("Wrote a new organiser token and signing key to .dev.vars (kept for next time).");
  }
  return vars;
}

/** Whether PORT is free: with another server on it, the health check below would talk to that one. */
function portFree(port) {
  return new Promise((ok) => {
    const probe = createServer();
    probe.once("error", () => ok(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => ok(true)));
  });
}

if (!(await portFree(PORT))) {
  console.error(
    `Port ${PORT} is already in use (another npm start?). Stop it, or pick another: PORT=${PORT + 1} npm start`,
  );
  process.exit(1);
}

const devVars = ensureDevVars();
const adminToken = process.env.ADMIN_TOKEN || devVars.ADMIN_TOKEN;

if (!process.env.SKIP_WEB_BUILD) {
  console.log("Building the web app (web/dist) ...");
  const build = buildWebApp();
  process.stdout.write(build.output);
  if (!build.ok) process.exit(1);
}

// Settings from the environment win over .dev.vars; --var hands them to the Worker.
const varArgs = [];
for (const key of ["ADMIN_TOKEN", "JWT_SECRET", "PUBLIC_ORIGIN", ...PASSED_THROUGH]) {
  if (process.env[key]) varArgs.push("--var", `${key}:${process.env[key]}`);
}

const wrangler = spawn(
  localBin("wrangler"),
  [
    "dev",
    "--port",
    String(PORT),
    "--ip",
    LAN ? "0.0.0.0" : "127.0.0.1",
    "--show-interactive-dev-session=false",
    ...(process.env.STATE_DIR ? ["--persist-to", process.env.STATE_DIR] : []),
    ...varArgs,
  ],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    // No telemetry, and no fetch of the `Request.cf` sample from workers.cloudflare.com:
    // offline it fails with a stack trace that reads as a crash (the Worker does not use
    // request.cf, and wrangler falls back to a placeholder anyway).
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  },
);
wrangler.stdout.on("data", (d) => process.stdout.write(d));
wrangler.stderr.on("data", (d) => process.stderr.write(d));
wrangler.on("exit", (code) => process.exit(code ?? 0));
for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(sig, () => wrangler.kill(sig));

// The organiser's own calls go to the loopback address; what phones open is `shown`.
const base = `http://127.0.0.1:${PORT}`;
const shown = lanIp ? String(process.env.PUBLIC_ORIGIN) : base;

async function waitForServer() {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("wrangler dev did not answer within 2 minutes");
}

async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** Creates DEMO once; on later starts makes sure it is open again. */
async function ensureDemo() {
  const created = await call("POST", "/api/markets", DEMO_MARKET);
  if (created.status !== 201 && created.json?.error?.code !== "CODE_TAKEN") {
    throw new Error(`could not create the demo market: ${created.status} ${JSON.stringify(created.json)}`);
  }
  const snap = await call("GET", `/api/markets/${DEMO_MARKET.code}`);
  const status = snap.json?.market?.status;
  if (status === "lobby") await call("POST", `/api/markets/${DEMO_MARKET.code}/control`, { action: "open" });
  if (status === "paused") await call("POST", `/api/markets/${DEMO_MARKET.code}/control`, { action: "resume" });
  if (status === "closed")
    console.log("Note: the DEMO market was closed by hand; delete .wrangler/state to start it afresh.");
}

console.log("Starting the Worker with wrangler dev ...");
try {
  await waitForServer();
  await ensureDemo();
  const lanNote = lanIp
    ? `
  Laptop-hosted event: phones on the same Wi-Fi open ${shown}
  (the QR codes point there). Allow incoming connections if the firewall asks,
  and keep this laptop awake and plugged in until the event ends.
`
    : "";
  console.log(`
  MarketFlow is running.

    Players:    ${shown}/join/${DEMO_MARKET.code}
    Projector:  ${shown}/screen/${DEMO_MARKET.code}
    Organiser:  ${shown}/admin
    Organiser token: ${adminToken}
    API:        ${shown}/api/openapi.json
${lanNote}
  Press Ctrl+C to stop.
`);
} catch (err) {
  console.error(String(err));
  wrangler.kill("SIGTERM");
  process.exit(1);
}
