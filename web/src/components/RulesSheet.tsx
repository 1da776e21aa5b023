/**
 * "How this market works": the rules that matter to a player, in plain words, in a sheet
 * the phone opens from the top bar (a native <dialog>, so focus and Escape behave as
 * people expect).
 */
import { For, Show } from "solid-js";
import type { MarketInfo, MarketRules } from "../../../worker/shared/messages";
import { DEFAULT_RULES } from "../../../worker/market/engine/public";
import { fmtMoney, formatNumber, marketFormat } from "../lib/format";
import { t } from "../i18n";

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;
const secs = (ms: number) => {
  const s = Math.round(ms / 100) / 10;
  return s >= 120 ? t("rules.minutes", { n: Math.round(s / 60) }) : t("rules.seconds", s, String(s));
};
/** Counts written the market's way (en-IN groups 1,00,000). */
const n = (x: number) => formatNumber(x, marketFormat());

/** The sheet's lines for a market (exported for the unit test). */
export function ruleLines(market: Pick<MarketInfo, "startingCash" | "tickMs"> & { rules?: MarketRules }): string[] {
  const r = { ...DEFAULT_RULES, ...(market.rules ?? {}) };
  const tick = market.tickMs;
  return [
    t("rules.start", { cash: fmtMoney(market.startingCash) }),
    t("rules.moves", { tick: secs(tick) }),
    r.allowShort ? t("rules.shortAllowed") : t("rules.noShort"),
    r.feeRate > 0 ? t("rules.fee", { fee: pct(r.feeRate) }) : t("rules.free"),
    t("rules.limits", { qty: n(r.maxOrderQty), open: n(r.maxOpenOrders), rate: n(r.ordersPerSecond) }),
    t("rules.band", { band: pct(r.limitPriceBand) }),
    t("rules.breaker", {
      band: pct(r.haltBand),
      window: n(r.haltWindowTicks),
      windowTime: secs(r.haltWindowTicks * tick),
      halt: n(r.haltTicks),
      haltTime: secs(r.haltTicks * tick),
    }),
    r.lateEntry === false ? t("rules.noLate") : t("rules.late"),
    ...(r.maxPlayers ? [t("rules.maxPlayers", { n: n(r.maxPlayers) })] : []),
  ];
}

export function RulesSheet(props: { market: MarketInfo | undefined }) {
  let dialog: HTMLDialogElement | undefined;
  return (
    <>
      <button type="button" class="btn btn-small rules-open" aria-haspopup="dialog" onClick={() => dialog?.showModal()}>
        {t("rules.open")}
      </button>
      <dialog ref={dialog} class="sheet" aria-labelledby="rules-h">
        <div class="sheet-body">
          <h2 id="rules-h">{t("rules.heading")}</h2>
          <Show when={props.market} fallback={<p class="muted">{t("rules.loading")}</p>}>
            {(m) => (
              <ul class="rules-list" data-testid="rules-list">
                <For each={ruleLines(m())}>{(line) => <li>{line}</li>}</For>
              </ul>
            )}
          </Show>
          <form method="dialog">
            <button type="submit" class="btn btn-primary btn-block">
              {t("rules.gotIt")}
            </button>
          </form>
        </div>
      </dialog>
    </>
  );
}
