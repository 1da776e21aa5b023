// docker-compose.yml cannot run here (no Docker engine), so its shape is checked: every
// image pinned, the project's own Upstash bridge in a pinned Node image, Neon's proxy in
// front of Postgres, and the ports the README's .dev.vars lines point at.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../../..");
type Service = {
  image?: string;
  build?: { context?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
};
const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as { services: Record<string, Service> };
const services = compose.services;

/** A tag that names one release: digits and dots, optionally a variant (15.20, 24.21.0-alpine). */
const PINNED = /^[\w./-]+:\d+(\.\d+)+(-[a-z0-9.]+)?$/;

describe("docker-compose.yml", () => {
  it("pins every image to a release (no :latest, no bare major), or builds one from a fixed commit", () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build) {
        expect(svc.build.context, name).toMatch(/#[0-9a-f]{40}$/);
        continue;
      }
      expect(svc.image, name).toMatch(PINNED);
    }
  });

  it("runs this project's Upstash bridge in Node, reachable on the published port, not serverless-redis-http", () => {
    const bridge = services["redis-rest"];
    expect(bridge.image).toMatch(/^node:\d+\.\d+\.\d+-/);
    expect(bridge.command).toEqual(["node", "dev/upstash-bridge.mjs", "--host", "0.0.0.0", "--port", "8079"]);
    expect(bridge.volumes).toContain("./dev:/app/dev:ro");
    expect(bridge.environment?.REDIS_URL).toBe("redis://redis:6379");
    expect(bridge.environment?.BRIDGE_TOKEN).toBe("marketflow-dev-token");
    expect(bridge.ports).toEqual(["127.0.0.1:8079:8079"]);
    expect(JSON.stringify(compose)).not.toContain("serverless-redis-http");
    // The bridge needs only Node's built-ins, which is why no npm install runs in the container.
    for (const file of ["dev/upstash-bridge.mjs", "dev/upstash-bridge/server.mjs", "dev/upstash-bridge/resp.mjs"]) {
      const imports = [...readFileSync(join(ROOT, file), "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map(
        (m) => m[1],
      );
      for (const spec of imports) expect(spec, file).toMatch(/^(node:|\.\/)/);
    }
  });

  it("puts Neon's WebSocket proxy in front of Postgres, allowed to reach that Postgres only", () => {
    const proxy = services["pg-ws-proxy"];
    expect(proxy.build?.context).toMatch(/^https:\/\/github\.com\/neondatabase\/wsproxy\.git#/);
    expect(proxy.environment?.APPEND_PORT).toBe("postgres:5432");
    expect(proxy.environment?.ALLOW_ADDR_REGEX).toBe("^postgres:5432$");
    expect(proxy.ports).toEqual(["127.0.0.1:5433:80"]);
    expect(services.postgres.ports).toEqual(["127.0.0.1:5432:5432"]);
  });

  it("uses the same Postgres and Redis images as the CI workflow", () => {
    const ci = parse(readFileSync(join(ROOT, ".github/workflows/ci.yml"), "utf8"));
    expect(ci.jobs.test.services.postgres.image).toBe(services.postgres.image);
    expect(ci.jobs.test.services.redis.image).toBe(services.redis.image);
  });
});
