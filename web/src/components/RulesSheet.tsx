/**
 * "How this market works": the rules that matter to a player, in plain words, in a sheet
 * the phone opens from the top bar (a native <dialog>, so focus and Escape behave as
 * people expect).
 */
import { For, Show } from "solid-js";
import type { MarketInfo, MarketRules } from "../../../worker/shared/messages";
import { DEFAULT_RULES } from "../../../worker/market/engine/public";
import { fmtMoney, formatNumber, marketFormat } from "../lib/format";

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;
const secs = (ms: number) => {
  const s = Math.round(ms / 100) / 10;
  return s >= 120 ? `${Math.round(s / 60)} minutes` : `${s} second${s === 1 ? "" : "s"}`;
};
/** Counts written the market's way (en-IN groups 1,00,000). */
const n = (x: number) => formatNumber(x, marketFormat());

/** The sheet's lines for a market (exported for the unit test). */
export function ruleLines(market: Pick<MarketInfo, "startingCash" | "tickMs"> & { rules?: MarketRules }): string[] {
  const r = { ...DEFAULT_RULES, ...(market.rules ?? {}) };
  const tick = market.tickMs;
  return [
    `You start with ${fmtMoney(market.startingCash)} in cash. You rank by net worth: your cash plus your shares at today's prices.`,
    `Prices move every ${secs(tick)}, with the players' orders and with the news.`,
    r.allowShort
      ? "Short selling is allowed: you may sell shares you do not own and buy them back later."
      : "No short selling: you can sell only shares you own.",
    r.feeRate > 0 ? `Each trade costs a fee of ${pct(r.feeRate)} of its value.` : "Trading is free: there are no fees.",
    `At most ${n(r.maxOrderQty)} shares in one order, ${n(r.maxOpenOrders)} open limit orders at a time, and ${n(r.ordersPerSecond)} orders a second.`,
    `A limit price must be within ${pct(r.limitPriceBand)} of the current price.`,
    `Circuit breaker: a stock that moves more than ${pct(r.haltBand)} within ${n(r.haltWindowTicks)} ticks (${secs(r.haltWindowTicks * tick)}) stops trading for ${n(r.haltTicks)} ticks (${secs(r.haltTicks * tick)}).`,
    r.lateEntry === false
      ? "No late entries: only players who joined before the bell take part."
      : "Latecomers may still join while the market trades.",
    ...(r.maxPlayers ? [`At most ${n(r.maxPlayers)} players.`] : []),
  ];
}

export function RulesSheet(props: { market: MarketInfo | undefined }) {
  let dialog: HTMLDialogElement | undefined;
  return (
    <>
      <button type="button" class="btn btn-small rules-open" aria-haspopup="dialog" onClick={() => dialog?.showModal()}>
        How it works
      </button>
      <dialog ref={dialog} class="sheet" aria-labelledby="rules-h">
        <div class="sheet-body">
          <h2 id="rules-h">How this market works</h2>
          <Show when={props.market} fallback={<p class="muted">Loading the rules…</p>}>
            {(m) => (
              <ul class="rules-list" data-testid="rules-list">
                <For each={ruleLines(m())}>{(line) => <li>{line}</li>}</For>
              </ul>
            )}
          </Show>
          <form method="dialog">
            <button type="submit" class="btn btn-primary btn-block">
              Got it
            </button>
          </form>
        </div>
      </dialog>
    </>
  );
}
