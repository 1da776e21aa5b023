// Player tokens: verified once per isolate and remembered, but never past their expiry,
// and never under another signing key.
import { describe, expect, it } from "vitest";
import { PLAYER_TOKEN_TTL_SECONDS, signPlayerToken, verifyPlayerToken } from "../../../worker/lib/auth";

const secrets = { adminToken: "organiser-token", jwtSecret: "a-signing-key-of-at-least-32-characters" };
const claims = { playerId: "p7", market: "AUTH1", name: "Tess", ordersPerSecond: 10 };

describe("player tokens", () => {
  it("a remembered token stops working the moment it expires", async () => {
    const issuedAt = Date.now();
    const token = await signPlayerToken(secrets, claims, issuedAt);
    expect(await verifyPlayerToken(secrets, token, issuedAt)).toEqual(claims);
    // Second time from the isolate's memory: same answer.
    expect(await verifyPlayerToken(secrets, token, issuedAt + 1000)).toEqual(claims);
    const expired = issuedAt + PLAYER_TOKEN_TTL_SECONDS * 1000 + 1000;
    expect(await verifyPlayerToken(secrets, token, expired)).toBeNull();
  });

  it("a token signed with one key is refused under another, even once remembered", async () => {
    const token = await signPlayerToken(secrets, claims);
    expect(await verifyPlayerToken(secrets, token)).not.toBeNull();
    expect(
      await verifyPlayerToken({ ...secrets, jwtSecret: "another-signing-key-of-32-characters!!" }, token),
    ).toBeNull();
  });
});
