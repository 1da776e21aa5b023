/**
 * Who is calling: the organiser (the deployment's ADMIN_TOKEN) or a player (an HS256 JWT
 * from `join` naming one player in one market). Checked in the Worker, before any market
 * object is woken.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { ApiError } from "./errors";

/** A player stays signed in for a whole event day, plus slack for a long evening. */
export const PLAYER_TOKEN_TTL_SECONDS = 36 * 3600;
const ISSUER = "marketflow";

export interface PlayerClaims {
  playerId: string;
  market: string;
  name: string;
  /** The market's order rate per player, carried so the Worker can limit without asking the market. */
  ordersPerSecond?: number;
}

export interface Secrets {
  adminToken: string;
  jwtSecret: string;
}

// Imported keys and the organiser token's digest, per isolate: importing an HMAC key on
// every request showed up in the order path's profile.
const hmacKeys = new Map<string, Promise<CryptoKey>>();
const adminDigests = new Map<string, Promise<ArrayBuffer>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    hmacKeys.set(secret, key);
  }
  return key;
}

/**
 * The deployment's secrets. A deployed environment without them refuses to serve rather
 * than run with a guessable default; locally `npm start` writes them to .dev.vars.
 */
export function secretsOf(env: Env): Secrets {
  const vars = env as unknown as Record<string, string | undefined>;
  const adminToken = vars.ADMIN_TOKEN ?? "";
  const jwtSecret = vars.JWT_SECRET ?? "";
  if (adminToken.length < 8 || jwtSecret.length < 32) {
    throw new ApiError(
      "INTERNAL",
      "The server is not configured: ADMIN_TOKEN (8+ characters) and JWT_SECRET (32+ characters) must be set as secrets.",
    );
  }
  return { adminToken, jwtSecret };
}

export async function signPlayerToken(secrets: Secrets, claims: PlayerClaims, now = Date.now()): Promise<string> {
  return new SignJWT({
    mkt: claims.market,
    name: claims.name,
    ...(claims.ordersPerSecond ? { ops: claims.ordersPerSecond } : {}),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.playerId)
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + PLAYER_TOKEN_TTL_SECONDS)
    .sign(await hmacKey(secrets.jwtSecret));
}

/**
 * Tokens this isolate has verified, with their expiry: a player sends the same token with
 * every order, and verifying it again each time was a tenth of the order path. Keyed by
 * secret and token, so a rotated secret never accepts an old token; bounded, oldest out.
 */
const VERIFIED_CACHE_SIZE = 20_000;
const verified = new Map<string, { claims: PlayerClaims; expMs: number }>();

/** The claims of a valid player token, or null for anything else (bad, forged, expired). */
export async function verifyPlayerToken(
  secrets: Secrets,
  token: string,
  now = Date.now(),
): Promise<PlayerClaims | null> {
  const cacheKey = `${secrets.jwtSecret}\u0000${token}`;
  const hit = verified.get(cacheKey);
  if (hit) {
    if (hit.expMs > now) return hit.claims;
    verified.delete(cacheKey);
    return null;
  }
  try {
    // Pinning the algorithm refuses `alg: none` and any key-confusion attempt.
    const { payload } = await jwtVerify(token, await hmacKey(secrets.jwtSecret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
    });
    if (typeof payload.sub !== "string" || typeof payload.mkt !== "string" || typeof payload.exp !== "number")
      return null;
    const claims: PlayerClaims = {
      playerId: payload.sub,
      market: payload.mkt,
      name: typeof payload.name === "string" ? payload.name : "",
      ordersPerSecond: typeof payload.ops === "number" ? payload.ops : undefined,
    };
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    verified.set(cacheKey, { claims, expMs: payload.exp * 1000 });
    return claims;
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return null;
    throw err;
  }
}

/** Compares in constant time, so the organiser token cannot be guessed byte by byte. */
export async function isAdminToken(secrets: Secrets, candidate: string): Promise<boolean> {
  // Equal-length digests, so the comparison's time says nothing about the token.
  const enc = new TextEncoder();
  let expected = adminDigests.get(secrets.adminToken);
  if (!expected) {
    expected = crypto.subtle.digest("SHA-256", enc.encode(secrets.adminToken));
    adminDigests.set(secrets.adminToken, expected);
  }
  const [a, b] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(candidate)), expected]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export function bearerOf(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1].trim() : null;
}
