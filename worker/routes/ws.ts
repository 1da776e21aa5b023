/** The live feed. The Worker checks the token, then hands the upgrade to the market. */
import { Hono } from "hono";
import { secretsOf, verifyPlayerToken } from "../lib/auth";
import { rejectSocket } from "../market/MarketDurableObject";
import { CloseCode } from "../shared/protocol";
import { anonLimit, marketCode, marketStub, type AppEnv } from "./context";

export const wsRouter = new Hono<AppEnv>();

wsRouter.get("/:code/ws", marketCode, anonLimit, async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    return c.json({ error: { code: "VALIDATION", message: "This route expects a WebSocket upgrade." } }, 426);
  }
  const token = c.req.query("token");
  let playerId = "";
  if (token) {
    const claims = await verifyPlayerToken(secretsOf(c.env), token);
    if (!claims) return rejectSocket(CloseCode.unauthorized, "The token is not valid or has expired. Join again.");
    if (claims.market !== c.get("code")) return rejectSocket(CloseCode.forbidden, "This token belongs to another market.");
    playerId = claims.playerId;
  }
  // Only the Worker can reach the object, so this header cannot be forged by a client.
  const headers = new Headers({ Upgrade: "websocket" });
  if (playerId) headers.set("X-Player-Id", playerId);
  return marketStub(c).fetch(new Request(c.req.url, { headers }));
});
