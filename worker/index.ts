import { Hono } from "hono";
export { MarketDurableObject } from "./market/MarketDurableObject";
export { RegistryDurableObject } from "./market/RegistryDurableObject";

const app = new Hono<{ Bindings: Env }>();
app.get("/api/health", (c) => c.json({ ok: true }));
export default app;
