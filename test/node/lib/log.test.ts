// The structured logger: one JSON line, and no secret in it however it arrives.
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorFields, formatLine, log, scrub } from "../../../worker/lib/log";

afterEach(() => vi.restoreAllMocks());

describe("a log line", () => {
  it("is one JSON object with the event and level first, written with the level's console method", () => {
    const seen: [string, string][] = [];
    for (const m of ["log", "warn", "error"] as const)
      vi.spyOn(console, m).mockImplementation((line: string) => void seen.push([m, line]));
    log.info("history_drain", { market: "FEST", rows: 3 });
    log.warn("redis_unavailable", { where: "rate limit" });
    log.error("unhandled_error", { requestId: "r1" });
    expect(seen.map(([m]) => m)).toEqual(["log", "warn", "error"]);
    expect(seen[0][1]).toBe('{"event":"history_drain","level":"info","market":"FEST","rows":3}');
    expect(JSON.parse(seen[2][1])).toEqual({ event: "unhandled_error", level: "error", requestId: "r1" });
  });

  it("replaces fields named like secrets, at any depth", () => {
    const line = JSON.parse(
      formatLine("info", "x", {
        authorization: "Bearer abc",
        nested: { UPSTASH_REDIS_REST_TOKEN: "t0k", jwtSecret: "s", password: "p", ok: "fine" },
      }),
    );
    expect(line.authorization).toBe("[redacted]");
    expect(line.nested).toEqual({
      UPSTASH_REDIS_REST_TOKEN: "[redacted]",
      jwtSecret: "[redacted]",
      password: "[redacted]",
      ok: "fine",
    });
  });

  it("scrubs bearer tokens, JWTs, token= parameters and passwords in URLs from any text", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwMSJ9.c2lnbmF0dXJl";
    const text = `GET /api/markets/FEST/ws?token=${jwt}&x=1 Authorization: Bearer admin-secret-1 postgres://app:hunter2@db.neon.tech/main`;
    const out = scrub(text);
    for (const secret of [jwt, "admin-secret-1", "hunter2"]) expect(out).not.toContain(secret);
    expect(out).toContain("?token=[redacted]&x=1");
    expect(out).toContain("postgres://app:[redacted]@db.neon.tech/main");
    expect(scrub("nothing to hide, 42 orders")).toBe("nothing to hide, 42 orders");
  });

  it("gives an error as its name and message, with a short stack, scrubbed", () => {
    const err = new Error("connect to postgres://u:pw@host/db failed");
    const fields = errorFields(err);
    expect(fields.error).toBe("Error: connect to postgres://u:pw@host/db failed");
    expect(String(fields.stack).split("\n").length).toBeLessThanOrEqual(8);
    const line = formatLine("error", "history_drain_failed", fields);
    expect(line).not.toContain(":pw@");
    expect(JSON.parse(line).error).toBe("Error: connect to postgres://u:[redacted]@host/db failed");
  });
});

describe("the Worker's code", () => {
  it("logs only through worker/lib/log.ts", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const root = join(import.meta.dirname, "../../../worker");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) && !path.endsWith(join("lib", "log.ts")))
          if (/\bconsole\.(log|info|warn|error|debug)\(/.test(readFileSync(path, "utf8"))) offenders.push(path);
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
