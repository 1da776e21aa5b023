/**
 * The player's own result at the bell: rank, return, best and worst trade, net worth over
 * the game, and their trades as a CSV download.
 */
import { Show, createResource } from "solid-js";
import type { TradeHighlight } from "../../../worker/shared/messages";
import { plainError, playerApi } from "../lib/api";
import { downloadWithToken } from "../lib/download";
import { fmtInt, fmtMoney, fmtPrice, fmtReturn, fmtSignedMoney, trend, trendPct } from "../lib/format";
import { Sparkline } from "./Sparkline";
import { toast } from "./Toasts";
import { t } from "../i18n";

function Trade(props: { label: string; trade: TradeHighlight | null; testid: string }) {
  return (
    <div class="result-trade" data-testid={props.testid}>
      <dt>{props.label}</dt>
      <dd>
        <Show when={props.trade} fallback={<span class="muted">{t("result.noTrades")}</span>}>
          {(trade) => (
            <>
              <span>
                {trade().side === "buy" ? t("result.bought") : t("result.sold")} {fmtInt(trade().qty)} {trade().symbol}{" "}
                {t("result.at")} {fmtPrice(trade().price)}
              </span>{" "}
              <span class={`num ${trend(trade().gain ?? 0)}`}>{fmtSignedMoney(trade().gain ?? 0)}</span>
            </>
          )}
        </Show>
      </dd>
    </div>
  );
}

export function MyResult(props: { code: string; token: string; name: string }) {
  const [result] = createResource(() => playerApi.result(props.token, props.code));
  async function download() {
    try {
      await downloadWithToken(playerApi.myFillsPath(props.code), props.token, `${props.code}-${props.name}-trades.csv`);
    } catch (e) {
      toast({ kind: "error", title: t("result.downloadFailed"), body: plainError(e) });
    }
  }
  return (
    <section class="card my-result" aria-labelledby="my-result-h" data-testid="my-result">
      <h2 id="my-result-h">{t("result.heading")}</h2>
      <Show
        when={result()}
        fallback={<p class="muted">{result.error ? plainError(result.error) : t("result.addingUp")}</p>}
      >
        {(r) => (
          <>
            <p class="result-rank">
              <span class="num big" data-testid="result-rank">
                #{r().rank}
              </span>{" "}
              <span class="muted">{t("result.of", { players: fmtInt(r().players) })}</span>
              <span class={`num result-return ${trendPct(r().returnPct)}`} data-testid="result-return">
                {fmtReturn(r().returnPct)}
              </span>
            </p>
            <p class="muted">
              {t("result.netWorth", fmtMoney(r().netWorth), fmtMoney(r().startingCash), r().trades, fmtInt(r().trades))}
            </p>
            <div class="result-chart" aria-label={t("result.chart")}>
              <Sparkline points={r().netWorthSeries.map((p) => p.netWorth)} width={320} height={72} />
            </div>
            <dl class="result-trades">
              <Trade label={t("result.best")} trade={r().bestTrade} testid="best-trade" />
              <Trade label={t("result.worst")} trade={r().worstTrade} testid="worst-trade" />
            </dl>
            <p class="muted small">{t("result.countedAt")}</p>
            <button type="button" class="btn" onClick={download} data-testid="download-trades">
              {t("result.download")}
            </button>
          </>
        )}
      </Show>
    </section>
  );
}
