import { log } from "./log";

/**
 * The origin phones should open: the PUBLIC_ORIGIN setting (a laptop's network address at
 * a laptop-hosted event, or a custom domain) when it is a valid http(s) origin, else the
 * origin the request came to. The projector and the console put it in the QR code and the
 * join links, so a projector opened at 127.0.0.1 still shows an address phones can reach.
 */
export function publicOriginOf(setting: string | undefined, requestUrl: string): string {
  if (setting) {
    try {
      const url = new URL(setting);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch {
      // fall through: a broken setting must not break the join link
    }
    log.warn("public_origin_ignored", { reason: "not an http(s) URL", setting });
  }
  return new URL(requestUrl).origin;
}
