/**
 * Small helpers every engine module needs: the error shape, the O(1) symbol lookup and
 * the quote refresh after logP moves.
 */
import type { ApiErrorCode } from "../../shared/protocol.ts";
import type { MarketRules } from "../../shared/protocol.ts";
import type { MarketState, SymbolState } from "./types.ts";
import { askOf, bidOf, centsOf } from "./pricing.ts";

export type EngineError = { ok: false; code: ApiErrorCode; message: string };

export function fail(code: ApiErrorCode, message: string): EngineError {
  return { ok: false, code, message };
}

/**
 * Symbol name -> symbol, built lazily per `symbols` array. It lives beside the state, not
 * on it, because it is derived: it never needs persisting, never shows in a deep-equal or
 * in JSON, and a revived or hand-built state gets its own on first use. (Symbols are
 * fixed when the market is created, so the index never goes stale.)
 */
const symbolIndexes = new WeakMap<SymbolState[], Map<string, SymbolState>>();

export function symbolOf(state: MarketState, symbol: string): SymbolState | undefined {
  let index = symbolIndexes.get(state.symbols);
  if (index === undefined) {
    index = new Map(state.symbols.map((s) => [s.symbol, s]));
    symbolIndexes.set(state.symbols, index);
  }
  return index.get(symbol);
}

/** Recompute last, bid and ask from logP and fold last into the session high/low. */
export function requote(sym: SymbolState, rules: MarketRules): void {
  const last = centsOf(sym.logP);
  sym.last = last;
  sym.bid = bidOf(sym.logP, rules.halfSpread);
  sym.ask = askOf(sym.logP, rules.halfSpread, sym.bid);
  if (last > sym.high) sym.high = last;
  if (last < sym.low) sym.low = last;
}

export function isHalted(sym: SymbolState): boolean {
  return sym.haltedUntilTick !== null;
}
