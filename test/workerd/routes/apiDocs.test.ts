// The API's documentation and the OpenAPI document cannot drift apart:
// - docs/openapi.json is this document (less `servers`) as a file snapshot: a route change
//   without `-u` fails here, and the typed client in examples/ts is generated from that file
//   (test/node/examples/apiTypes.test.ts checks it is up to date);
// - docs/API.md has one heading per operation, with its operationId, its caller and every
//   status it can answer with the error codes each carries, and no heading for an operation
//   the document lacks;
// - GET /api/docs answers an HTML reference of the document that loads nothing from other hosts.
import { beforeAll, describe, expect, it } from "vitest";
import guide from "../../../docs/API.md?raw";
import { STATUS_OF } from "../../../worker/lib/errors";
import { api } from "../../support/workerd";

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  responses: Record<string, { description: string }>;
};
const ERROR_CODES = Object.keys(STATUS_OF);
let doc: { paths: Record<string, Record<string, Operation>>; servers?: unknown };

beforeAll(async () => {
  const res = await api("GET", "/api/openapi.json");
  expect(res.status).toBe(200);
  doc = res.json;
});

/** "200 · 400 VALIDATION · 409 NAME_TAKEN MARKET_FULL" -> {"200": [], "400": ["VALIDATION"], ...}. */
function statusLine(line: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of line.split(" · ")) {
    const [status, ...codes] = part.trim().split(/\s+/);
    out[status] = codes.sort();
  }
  return out;
}

function fromDocument(op: Operation) {
  const statuses: Record<string, string[]> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const named = new Set(response.description.match(/\b[A-Z][A-Z_]+\b/g) ?? []);
    statuses[status] = ERROR_CODES.filter((code) => named.has(code)).sort();
  }
  const caller = op.security.length ? Object.keys(op.security[0])[0] : "anyone";
  return { operationId: op.operationId, caller, statuses };
}

/** Each "#### `METHOD /path`" heading of the guide and the line under it. */
function fromGuide() {
  const ops = new Map<string, ReturnType<typeof fromDocument>>();
  const heading = /^#### `(GET|POST|PUT|DELETE|PATCH) (\/\S+)`\n\n`(\w+)` · (\w+) · (.+)$/gm;
  for (const m of guide.matchAll(heading)) {
    const key = `${m[1].toLowerCase()} ${m[2]}`;
    expect(ops.has(key), `${key} twice in docs/API.md`).toBe(false);
    ops.set(key, { operationId: m[3], caller: m[4], statuses: statusLine(m[5]) });
  }
  return ops;
}

describe("docs/API.md and docs/openapi.json agree with the OpenAPI document", () => {
  it("docs/openapi.json is the document the Worker serves", async () => {
    const { servers: _, ...rest } = doc;
    await expect(`${JSON.stringify(rest, null, 2)}\n`).toMatchFileSnapshot("../../../docs/openapi.json");
  });

  it("has every operation, with its operationId, caller and answers, and nothing else", () => {
    const documented = new Map<string, ReturnType<typeof fromDocument>>();
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) documented.set(`${method} ${path}`, fromDocument(op));
    const described = fromGuide();
    expect([...described.keys()].sort(), "operations in docs/API.md").toEqual([...documented.keys()].sort());
    for (const [key, op] of documented) expect(described.get(key), key).toEqual(op);
  });

  it("lists every error code in its status table", () => {
    const table = guide.slice(guide.indexOf("| status | codes |"), guide.indexOf("## Auth"));
    for (const code of ERROR_CODES) expect(table, code).toContain(`\`${code}\``);
  });

  it("documents the feed's messages and close codes", () => {
    const feed = guide.slice(guide.indexOf("## The live feed"));
    for (const type of ["snapshot", "tick", "news", "status", "lobby", "fill", "error", "resync", "ping"])
      expect(feed, type).toContain(`\`${type}\``);
    for (const code of [4001, 4003, 4004, 4008, 4013, 4029, 4030, 1012])
      expect(feed, String(code)).toContain(`| ${code} |`);
  });
});

describe("GET /api/docs", () => {
  it("answers an HTML reference of /api/openapi.json that loads Scalar from this origin, under a nonce policy", async () => {
    const res = await api("GET", "/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = res.text;
    expect(html).toContain('"url": "/api/openapi.json"');
    expect(html).toContain('<script src="/vendor/scalar-api-reference.js"');
    expect(html).toContain("<title>MarketFlow API</title>");
    // Nothing from another host: no CDN, no web fonts.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain("cdn.jsdelivr");
    const policy = res.headers.get("Content-Security-Policy") ?? "";
    const nonce = policy.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce, policy).toBeTruthy();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBe(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(policy).toContain("connect-src 'self'");
    // A fresh nonce per answer.
    const again = await api("GET", "/api/docs");
    expect(again.headers.get("Content-Security-Policy")).not.toBe(policy);
  });
});
