/**
 * Small helpers every engine module needs: the refusal, the O(1) symbol lookup and
 * the quote refresh after logP moves.
 */
import type { MarketRules } from "../../shared/messages.ts";
import type { MarketState, SymbolState } from "./types.ts";
import { quoteAround } from "./pricing.ts";

// The one result shape of engine, market and routes (a refusal is plain data, see result.ts).
export { refuse, type Refusal } from "../../shared/result.ts";

/**
 * Symbol name -> symbol, built lazily per `symbols` array. It lives beside the state, not
 * on it, because it is derived: it never needs persisting, never shows in a deep-equal or
 * in JSON, and a revived or hand-built state gets its own on first use. (Symbols are
 * fixed when the market is created, so the index never goes stale.)
 */
const symbolIndexes = new WeakMap<SymbolState[], Map<string, SymbolState>>();
// One market per Durable Object, so the last index used is almost always the one wanted;
// checking it first skips the WeakMap lookup, which is the slower part on the order path.
let lastSymbols: SymbolState[] | null = null;
let lastIndex: Map<string, SymbolState> | null = null;

export function symbolOf(state: MarketState, symbol: string): SymbolState | undefined {
  const symbols = state.symbols;
  if (symbols !== lastSymbols) {
    let index = symbolIndexes.get(symbols);
    if (index === undefined) {
      index = new Map(symbols.map((s) => [s.symbol, s]));
      symbolIndexes.set(symbols, index);
    }
    lastSymbols = symbols;
    lastIndex = index;
  }
  return lastIndex!.get(symbol);
}

/** Recompute last, bid and ask from logP and fold last into the session high/low. */
export function requote(sym: SymbolState, rules: MarketRules): void {
  // One exp per fill; the small quote object is inlined away by the JIT on this hot path.
  const q = quoteAround(Math.exp(sym.logP), rules.halfSpread);
  sym.last = q.last;
  sym.bid = q.bid;
  sym.ask = q.ask;
  if (q.last > sym.high) sym.high = q.last;
  if (q.last < sym.low) sym.low = q.last;
}

export function isHalted(sym: SymbolState): boolean {
  return sym.haltedUntilTick !== null;
}
