/**
 * Security and caching headers: the web app's (web/public/_headers, applied by the static
 * assets) on a page, a client route answered with index.html, and a hashed asset; the
 * API's (worker/routes/securityHeaders.ts) on a JSON answer. Needs the web build in
 * web/dist (`npm test` builds it first).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, createMarket } from "../../support/workerd";

// The static assets as a browser reaches them: the Worker runs first for /api/* only
// (wrangler.toml), so every other path is the assets binding's. A navigation says so.
const get = (path: string) =>
  env.ASSETS.fetch(`http://marketflow.test${path}`, { headers: { "Sec-Fetch-Mode": "navigate" } });

function expectAppSecurityHeaders(res: Response) {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(res.headers.get("Referrer-Policy")).toBe("same-origin");
}

describe("the web app's headers", () => {
  it("the start page: the policy, and revalidated on every load", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expectAppSecurityHeaders(res);
    expect(res.headers.get("Cache-Control")).toBe("no-cache");
    // The page loads a hashed script from /assets/, which the next test reads.
    expect(html).toMatch(/src="\/assets\/index-[\w-]+\.js"/);
  });

  it("a client route (/join/CODE) is index.html with the same headers", async () => {
    const res = await get("/join/FEST");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
    expectAppSecurityHeaders(res);
    expect(res.headers.get("Cache-Control")).toBe("no-cache");
  });

  it("a hashed asset is cached for a year, immutable, with nosniff", async () => {
    const html = await (await get("/")).text();
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const res = await get(script as string);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/javascript/);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    await res.arrayBuffer();
  });

  it("the _headers file itself is not served", async () => {
    const res = await get("/_headers");
    expect(await res.text()).not.toContain("Content-Security-Policy");
  });
});

describe("the API's headers", () => {
  it("a JSON answer: nosniff, no framing, a policy that loads nothing", async () => {
    const code = await createMarket();
    for (const path of ["/api/health", `/api/markets/${code}`, "/api/markets/NOSUCHMARKET"]) {
      const res = await api("GET", path);
      expect(res.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy"), path).toBe("same-origin");
      expect(res.headers.get("X-Frame-Options"), path).toBe("DENY");
      expect(res.headers.get("Content-Security-Policy"), path).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });
});
