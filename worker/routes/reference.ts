/**
 * GET /api/docs: a readable reference of the OpenAPI document, rendered in the browser by
 * Scalar (@scalar/hono-api-reference). The page loads Scalar's single-file bundle from
 * this deployment (web/vite.config.ts copies it into the static assets), never from a
 * CDN, so it works offline and under a policy that allows only this origin.
 *
 * What the page needs from a content security policy, set here on its own answer:
 * scripts from 'self' plus one inline script (the call that starts Scalar) carrying a
 * nonce made per request; styles from 'self' and inline (Scalar injects its own, and its
 * README says `style-src` needs 'unsafe-inline'); fetches to 'self' (the document, and
 * the "try it" client's requests); images and fonts from 'self' and data: URLs.
 */
import { Scalar } from "@scalar/hono-api-reference";
import type { MiddlewareHandler } from "hono";

/** Where the static assets hold Scalar's standalone bundle (see web/vite.config.ts). */
export const SCALAR_BUNDLE_PATH = "/vendor/scalar-api-reference.js";
export const OPENAPI_PATH = "/api/openapi.json";

export function referencePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export const apiReference: MiddlewareHandler = async (c, next) => {
  const nonce = newNonce();
  c.header("Content-Security-Policy", referencePolicy(nonce));
  c.header("Cache-Control", "no-store");
  const render = Scalar({
    url: OPENAPI_PATH,
    cdn: SCALAR_BUNDLE_PATH,
    nonce,
    pageTitle: "MarketFlow API",
    // Nothing from other hosts: no web fonts, no telemetry, no proxy for "try it".
    withDefaultFonts: false,
    telemetry: false,
    // The hosted services' buttons (AI chat, SDK generation, deploy) need the internet.
    showDeveloperTools: "never",
    mcp: { disabled: true },
    agent: { disabled: true },
  });
  return render(c, next);
};
