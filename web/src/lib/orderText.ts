/** An order in words, and the checks a ticket makes before anything is sent. */
import type { Order } from "../../../worker/shared/protocol";
import { fmtInt, fmtMoney } from "./format";

export function newClientOrderId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Plain-HTTP venue networks are not a secure context: randomUUID is missing there.
  const rnd = new Uint8Array(16);
  crypto.getRandomValues(rnd);
  return Array.from(rnd, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A typed stop price's problem for this side and last price; null when it can be sent. */
export function stopPriceProblem(stop: number, side: "buy" | "sell", last: number): string | null {
  if (!(stop > 0)) return "Enter a stop price.";
  if (side === "buy" && stop <= last) return `A buy stop triggers above the price: enter more than ${fmtMoney(last)}.`;
  if (side === "sell" && stop >= last)
    return `A sell stop triggers below the price: enter less than ${fmtMoney(last)}.`;
  return null;
}

/** A typed quantity's problem in plain words (the field is text: "", "0", "-1", "2.5", "1e3"). */
export function quantityProblem(text: string): string | null {
  const t = text.trim();
  if (t === "") return "Enter how many shares to trade.";
  const n = Number(t);
  if (!Number.isFinite(n)) return "Enter the number of shares in digits, e.g. 10.";
  if (n <= 0) return "Trade at least 1 share.";
  if (!Number.isInteger(n)) return `Shares come whole: try ${Math.max(1, Math.floor(n))} or ${Math.ceil(n)}.`;
  return null;
}

export function describeOrder(o: Order): string {
  const verb = o.side === "buy" ? "Bought" : "Sold";
  if (o.status === "filled") return `${verb} ${fmtInt(o.filledQty)} ${o.symbol} at ${fmtMoney(o.avgPrice)}`;
  if (o.status === "partially_filled")
    return `${verb} ${fmtInt(o.filledQty)} of ${fmtInt(o.qty)} ${o.symbol} at ${fmtMoney(o.avgPrice)}; the rest waits at ${fmtMoney(o.limitPrice)}`;
  if (o.status === "open" && o.stopPrice != null && o.triggeredAt == null)
    return `Stop order placed: ${o.side} ${fmtInt(o.qty)} ${o.symbol} when the price reaches ${fmtMoney(o.stopPrice)}${o.limitPrice != null ? `, then limit ${fmtMoney(o.limitPrice)}` : ""}. Nothing is held until then.`;
  if (o.status === "rejected" && o.rejectReason) return `Order rejected: ${o.rejectReason}`;
  if (o.status === "open")
    return `Limit order placed: ${o.side} ${fmtInt(o.qty)} ${o.symbol} at ${fmtMoney(o.limitPrice)}. It fills when the price gets there.`;
  return `Order ${o.status}`;
}
