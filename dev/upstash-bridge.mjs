#!/usr/bin/env node
// Upstash-compatible REST bridge in front of a real Redis, for local work and CI.
//
//   npm run redis:bridge -- --port 8079 --token dev-token
//   (or BRIDGE_PORT / BRIDGE_TOKEN; Redis from REDIS_URL, default redis://127.0.0.1:6379)
//
// Then point the Worker at it: UPSTASH_REDIS_REST_URL=http://127.0.0.1:8079
// UPSTASH_REDIS_REST_TOKEN=dev-token. It listens on 127.0.0.1 only, unless --host (or
// BRIDGE_HOST) says otherwise: docker-compose.yml runs it in a container, where it must
// listen on 0.0.0.0 for the published port to reach it.
import { parseArgs } from "node:util";
import { createBridge } from "./upstash-bridge/server.mjs";

const { values } = parseArgs({
  options: { port: { type: "string" }, token: { type: "string" }, host: { type: "string" } },
});
const port = Number(values.port ?? process.env.BRIDGE_PORT ?? 8079);
const token = values.token ?? process.env.BRIDGE_TOKEN ?? "dev-token";
const host = values.host ?? process.env.BRIDGE_HOST ?? "127.0.0.1";
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `upstash-bridge: --port must be a port number, got ${JSON.stringify(values.port ?? process.env.BRIDGE_PORT)}`,
  );
  process.exit(2);
}

const bridge = createBridge({ redisUrl, token });
const { port: bound } = await bridge.listen(port, host);
const shownRedis = redisUrl.replace(/\/\/[^@/]*@/, "//***@");
console.log(`upstash-bridge listening on http://${host}:${bound} -> ${shownRedis} (redis: ${await bridge.probe()})`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => bridge.close().then(() => process.exit(0)));
}
