import { env, exports } from "cloudflare:workers";
import { it, expect } from "vitest";
it("answers health", async () => {
  const res = await exports.default.fetch("http://x/api/health");
  expect(await res.json()).toEqual({ ok: true });
  const stub = env.MARKET.get(env.MARKET.idFromName("X"));
  expect(await stub.hello()).toBe("hi");
});
