/**
 * The market's lifecycle: which organiser action leads from which status to which. The
 * engine enforces it; the console offers exactly the buttons it allows. Types only from
 * protocol.ts, so the web app can import this without pulling zod into its bundle.
 */
import type { ControlAction, MarketStatus } from "./protocol.ts";

/** `close` is allowed from any non-closed status; closed is final. */
export const TRANSITIONS: Record<ControlAction, { from: readonly MarketStatus[]; to: MarketStatus }> = {
  open: { from: ["lobby"], to: "open" },
  pause: { from: ["open"], to: "paused" },
  resume: { from: ["paused"], to: "open" },
  close: { from: ["lobby", "open", "paused"], to: "closed" },
};

/** The actions possible from `status`, in the order the console shows them. */
export function actionsFrom(status: MarketStatus): ControlAction[] {
  return (Object.keys(TRANSITIONS) as ControlAction[]).filter((a) => TRANSITIONS[a].from.includes(status));
}
