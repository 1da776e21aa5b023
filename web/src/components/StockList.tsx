import { For, Show } from "solid-js";
import type { SymbolQuote } from "../../../worker/shared/messages";
import { now } from "../lib/feed";
import { fmtLeft, fmtPct, fmtPrice, trend } from "../lib/format";
import { Sparkline } from "./Sparkline";
import { t } from "../i18n";

/** Every stock with live price, change and a trend line. Rows are buttons when selectable. */
export function StockList(props: {
  symbols: SymbolQuote[];
  spark: Record<string, number[]>;
  selected?: string | null;
  onSelect?: (symbol: string) => void;
  label?: string;
}) {
  return (
    <ul class="stocks" aria-label={props.label ?? t("stocks.label")}>
      <For each={props.symbols}>
        {(q) => {
          const inner = () => (
            <>
              <span class="s-id">
                <span class="s-sym">{q.symbol}</span>
                <span class="s-name">{q.name}</span>
              </span>
              <Sparkline points={props.spark[q.symbol]} />
              <span class="s-quote">
                <span class="s-price num">{fmtPrice(q.price)}</span>
                <Show
                  when={q.halted}
                  fallback={<span class={`s-chg num ${trend(q.change)}`}>{fmtPct(q.changePct)}</span>}
                >
                  <span class="halt-badge">
                    {t("stocks.haltedBadge")}
                    {q.haltedUntil ? ` ${fmtLeft(q.haltedUntil - now())}` : ""}
                  </span>
                </Show>
              </span>
            </>
          );
          return (
            <li class={`stock ${q.halted ? "is-halted" : ""}`} data-symbol={q.symbol}>
              <Show when={props.onSelect} fallback={<div class="stock-row">{inner()}</div>}>
                <button
                  type="button"
                  class="stock-row"
                  aria-pressed={props.selected === q.symbol}
                  aria-label={`${q.symbol}, ${q.name}, ${fmtPrice(q.price)}, ${q.halted ? t("stocks.halted") : fmtPct(q.changePct)}`}
                  onClick={() => props.onSelect!(q.symbol)}
                >
                  {inner()}
                </button>
              </Show>
            </li>
          );
        }}
      </For>
    </ul>
  );
}
