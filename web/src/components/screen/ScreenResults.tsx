/**
 * The projector at the bell: the podium, the top ten, the biggest single trade and the
 * best-performing stock. Nothing is drawn over it. `teamSlot` is where the best team goes
 * once markets have teams; without it nothing is shown there.
 */
import { For, type JSX, Show, createResource } from "solid-js";
import type { Leader } from "../../../../worker/shared/messages";
import { publicApi } from "../../lib/api";
import { fmtInt, fmtMoney0, fmtPct, fmtPrice, fmtReturn, trend, trendPct } from "../../lib/format";
import { t } from "../../i18n";

const PLACES = ["1st", "2nd", "3rd"];

function Podium(props: { leaders: Leader[] }) {
  // 2nd, 1st, 3rd from left to right, the winner's step the tallest.
  const order = () => [1, 0, 2].map((i) => props.leaders[i]).filter((l): l is Leader => !!l);
  return (
    <div class="rs-podium" data-testid="results-podium">
      <For each={order()}>
        {(l) => (
          <div class={`rs-step rs-step-${l.rank <= 3 ? l.rank : 3}`}>
            <span class="rs-place">{PLACES[Math.min(l.rank, 3) - 1]}</span>
            <span class="rs-name sc-lname">{l.name}</span>
            <span class={`rs-ret num ${trendPct(l.returnPct)}`}>{fmtReturn(l.returnPct)}</span>
            <span class="rs-nw num">{fmtMoney0(l.netWorth)}</span>
          </div>
        )}
      </For>
    </div>
  );
}

export function ScreenResults(props: { code: string; teamSlot?: JSX.Element }) {
  const [results] = createResource(() => publicApi.results(props.code));
  return (
    <main class="sc-results" data-testid="screen-results">
      <Show when={results()} fallback={<p class="muted sc-wait">{t("screen.addingUp")}</p>}>
        {(r) => (
          <>
            <section class="rs-left" aria-label={t("screen.winners")}>
              <h2 class="rs-title">{t("screen.status.closed")}</h2>
              <Podium leaders={r().leaders} />
              <div class="rs-cards">
                <Show when={r().biggestTrade}>
                  {(trade) => (
                    <div class="rs-card" data-testid="results-biggest-trade">
                      <span class="rs-card-h">{t("screen.biggestTrade")}</span>
                      <span class="rs-card-main">
                        <span class="sc-lname">{trade().player}</span>{" "}
                        {trade().side === "buy" ? t("screen.bought") : t("screen.sold")} {fmtInt(trade().qty)}{" "}
                        {trade().symbol}
                      </span>
                      <span class="num">
                        {fmtMoney0(trade().value)} {t("screen.at")} {fmtPrice(trade().price)}
                      </span>
                    </div>
                  )}
                </Show>
                <Show when={r().bestStock}>
                  {(s) => (
                    <div class="rs-card" data-testid="results-best-stock">
                      <span class="rs-card-h">{t("screen.bestStock")}</span>
                      <span class="rs-card-main">
                        {s().symbol} <span class="muted">{s().name}</span>
                      </span>
                      <span class={`num ${trend(s().changePct)}`}>
                        {fmtPct(s().changePct)} · {fmtPrice(s().open)} → {fmtPrice(s().last)}
                      </span>
                    </div>
                  )}
                </Show>
                {props.teamSlot}
              </div>
            </section>
            <section class="sc-board rs-board" aria-labelledby="rs-top">
              <h2 id="rs-top">{t("screen.topOf", { n: 10, players: fmtInt(r().players) })}</h2>
              <ol class="rs-top" data-testid="screen-leaders">
                <For each={r().leaders.slice(0, 10)}>
                  {(l) => (
                    <li class="rs-row" data-rank={l.rank}>
                      <span class="sc-rank num">{l.rank}</span>
                      <span class="sc-lname">{l.name}</span>
                      <span class="sc-nw num">{fmtMoney0(l.netWorth)}</span>
                      <span class={`sc-ret num ${trendPct(l.returnPct)}`}>{fmtReturn(l.returnPct)}</span>
                    </li>
                  )}
                </For>
              </ol>
            </section>
          </>
        )}
      </Show>
    </main>
  );
}
