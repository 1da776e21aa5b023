/**
 * Where phones join. The Worker says (GET /api/site): its PUBLIC_ORIGIN setting at a
 * laptop-hosted event (`npm start -- --lan`), else the origin this page came from. Until
 * it answers, and if it cannot, the page's own origin is the best guess.
 */
import { createSignal } from "solid-js";
import { publicApi } from "./api";

const [origin, setOrigin] = createSignal(location.origin);
let asked = false;

/** The public origin, e.g. "http://192.168.1.20:8787". */
export function publicOrigin(): string {
  if (!asked) {
    asked = true;
    publicApi
      .site()
      .then((s) => setOrigin(s.publicOrigin))
      .catch(() => {});
  }
  return origin();
}

/** The link a player opens to join `code`. */
export const joinUrlOf = (code: string) => `${publicOrigin()}/join/${code}`;

/** "192.168.1.20:8787" for the projector's "Join at" line. */
export const publicHost = () => new URL(publicOrigin()).host;
