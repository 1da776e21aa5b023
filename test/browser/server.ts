/**
 * Starts the real thing for the browser and end-to-end tests: runs `wrangler dev` on a free
 * port with a fresh local state directory, and waits until /api/health answers. It serves
 * web/dist, the production build the projects' global setup made (test/support/webBuild.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { wranglerDevEnv } from "../../dev/node.mjs";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export interface TestServer {
  base: string;
  adminToken: string;
  /** The wrangler process; workerd runs under it (see test/support/procSockets.ts). */
  pid: number;
  /** The last 64 KB of what wrangler and the Worker printed. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Whether the browser suite can run. Without Chromium it is skipped with a clear note on
 * a developer's machine, so `npm test` passes there; in CI (CI=true) a missing browser
 * is an error, because .ci/run installs it and the suite must always run there.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message =
    `The browser tests need Chromium at ${CHROMIUM}, which is not installed. ` +
    "Install it with `apt-get install -y chromium` (CI's .ci/run does), or set CHROMIUM_PATH.";
  if (process.env.CI) throw new Error(message);
  console.warn(`[browser] SKIPPED: ${message}`);
  return false;
}

/**
 * A port that is free now, chosen below the kernel's ephemeral range (32768-60999 here):
 * a port the kernel handed out for `listen(0)` and we let go of can be handed straight to
 * another process's `listen(0)` (another suite's workerd, say) before wrangler binds it.
 */
async function freePort(): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<boolean>((ok) => {
      const srv = createServer();
      srv.once("error", () => ok(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => ok(true)));
    });
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await tryPort(port)) return port;
  }
  throw new Error("no free port in 20000-31999");
}

const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

export interface ServerOptions {
  /** Extra Worker settings, e.g. DATABASE_URL for the history suites. */
  vars?: Record<string, string>;
}

/** wrangler's answer when another process took the port between our check and its bind. */
const PORT_TAKEN = /Address already in use/;

/**
 * Starts wrangler dev; when the port it was given was taken in between (two suites start
 * their servers at once), it tries again on another port, a few times.
 */
export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(opts);
    } catch (e) {
      if (attempt >= 5 || !(e instanceof Error) || !PORT_TAKEN.test(e.message)) throw e;
    }
  }
}

async function launch(opts: ServerOptions): Promise<TestServer> {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "marketflow-browser-"));
  const adminToken = `browser-admin-${Math.random().toString(36).slice(2)}`;
  const jwtSecret = `browser-jwt-secret-${"x".repeat(32)}`;
  const child: ChildProcess = spawn(
    bin("wrangler"),
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--local",
      "--persist-to",
      state,
      "--show-interactive-dev-session=false",
      "--var",
      `ADMIN_TOKEN:${adminToken}`,
      "--var",
      `JWT_SECRET:${jwtSecret}`,
      ...Object.entries(opts.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: wranglerDevEnv({ ADMIN_TOKEN: adminToken, JWT_SECRET: jwtSecret, ...opts.vars }),
      detached: false,
    },
  );
  let log = "";
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-64_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) {
      rmSync(state, { recursive: true, force: true });
      throw new Error(`wrangler dev exited (${exited}) before it answered:\n${log.slice(-8000)}`);
    }
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`wrangler dev did not answer /api/health within 90 s:\n${log.slice(-8000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }

  return {
    base,
    adminToken,
    pid: child.pid ?? -1,
    output: () => log,
    async stop() {
      if (exited === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (exited === null) child.kill("SIGKILL");
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** A JSON call to the API, failing loudly with the server's answer. */
export async function call<T>(
  base: string,
  path: string,
  opts: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const res = await fetch(base + path, {
    method: opts.method ?? "GET",
    headers: {
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${opts.method ?? "GET"} ${path} -> ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
