/** Player tokens a test forges: signed with the test key (or another), expired, or alg "none". */
import { SignJWT } from "jose";

export const JWT_SECRET = "test-jwt-secret-at-least-32-characters-long";

export async function tokenFor(claims: { sub: string; mkt: string }, opts: { key?: string; expired?: boolean } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ mkt: claims.mkt, name: "x" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setIssuer("marketflow")
    .setIssuedAt(opts.expired ? now - 7200 : now)
    .setExpirationTime(opts.expired ? now - 60 : now + 3600)
    .sign(new TextEncoder().encode(opts.key ?? JWT_SECRET));
}

export function algNone(claims: { sub: string; mkt: string }) {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, iss: "marketflow", exp: 9999999999 })}.`;
}
