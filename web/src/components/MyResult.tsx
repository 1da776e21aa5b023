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

function Trade(props: { label: string; trade: TradeHighlight | null; testid: string }) {
  return (
    <div class="result-trade" data-testid={props.testid}>
      <dt>{props.label}</dt>
      <dd>
        <Show when={props.trade} fallback={<span class="muted">No trades</span>}>
          {(t) => (
            <>
              <span>
                {t().side === "buy" ? "Bought" : "Sold"} {fmtInt(t().qty)} {t().symbol} at {fmtPrice(t().price)}
              </span>{" "}
              <span class={`num ${trend(t().gain ?? 0)}`}>{fmtSignedMoney(t().gain ?? 0)}</span>
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
      toast({ kind: "error", title: "Could not download your trades", body: plainError(e) });
    }
  }
  return (
    <section class="card my-result" aria-labelledby="my-result-h" data-testid="my-result">
      <h2 id="my-result-h">Your result</h2>
      <Show when={result()} fallback={<p class="muted">{result.error ? plainError(result.error) : "Adding up…"}</p>}>
        {(r) => (
          <>
            <p class="result-rank">
              <span class="num big" data-testid="result-rank">
                #{r().rank}
              </span>{" "}
              <span class="muted">of {fmtInt(r().players)}</span>
              <span class={`num result-return ${trendPct(r().returnPct)}`} data-testid="result-return">
                {fmtReturn(r().returnPct)}
              </span>
            </p>
            <p class="muted">
              Net worth {fmtMoney(r().netWorth)} from {fmtMoney(r().startingCash)} · {fmtInt(r().trades)} trades
            </p>
            <div class="result-chart" aria-label="Your net worth over the game">
              <Sparkline points={r().netWorthSeries.map((p) => p.netWorth)} width={320} height={72} />
            </div>
            <dl class="result-trades">
              <Trade label="Best trade" trade={r().bestTrade} testid="best-trade" />
              <Trade label="Worst trade" trade={r().worstTrade} testid="worst-trade" />
            </dl>
            <p class="muted small">A trade's result is counted at the closing price, less its fee.</p>
            <button type="button" class="btn" onClick={download} data-testid="download-trades">
              Download my trades (CSV)
            </button>
          </>
        )}
      </Show>
    </section>
  );
}
