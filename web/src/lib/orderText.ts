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
  if (o.status === "open")
    return `Limit order placed: ${o.side} ${fmtInt(o.qty)} ${o.symbol} at ${fmtMoney(o.limitPrice)}. It fills when the price gets there.`;
  return `Order ${o.status}`;
}
