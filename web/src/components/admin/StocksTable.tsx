/** The market's stocks as the organiser watches them, with a halt switch each while trading can happen. */
import { For, Show } from "solid-js";
import type { SymbolQuote } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import { now } from "../../lib/feed";
import { fmtInt, fmtLeft, fmtPct, fmtPrice, trend } from "../../lib/format";
import { toast } from "../Toasts";
import { t } from "../../i18n";

export function StocksTable(props: { code: string; token: string; symbols: SymbolQuote[]; closed: boolean }) {
  async function toggle(q: SymbolQuote) {
    try {
      await adminApi.setHalt(props.token, props.code, q.symbol, !q.halted);
      toast({ kind: "info", title: `${q.symbol} ${q.halted ? "resumed" : "halted"}` });
    } catch (e) {
      toast({ kind: "error", title: plainError(e, "admin") });
    }
  }
  return (
    <section class="card" aria-labelledby="sy-h">
      <h2 id="sy-h">{t("admin.stocks.heading")}</h2>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.stocks.stock")}</th>
              <th scope="col" class="r">
                {t("admin.stocks.price")}
              </th>
              <th scope="col" class="r">
                {t("admin.stocks.change")}
              </th>
              <th scope="col" class="r">
                {t("admin.stocks.volume")}
              </th>
              <th scope="col">{t("admin.stocks.trading")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.symbols}>
              {(q) => (
                <tr>
                  <th scope="row">{q.symbol}</th>
                  <td class="r num">{fmtPrice(q.price)}</td>
                  <td class={`r num ${trend(q.change)}`}>{fmtPct(q.changePct)}</td>
                  <td class="r num">{fmtInt(q.volume)}</td>
                  <td>
                    {/* A closed market trades no more: there is nothing to halt. */}
                    <Show when={!props.closed} fallback={<span class="muted">{t("admin.stocks.closed")}</span>}>
                      <button
                        type="button"
                        class={`btn btn-small ${q.halted ? "btn-primary" : ""}`}
                        onClick={() => toggle(q)}
                        aria-label={`${q.halted ? t("admin.stocks.resume") : t("admin.stocks.halt")} ${q.symbol}`}
                      >
                        {q.halted
                          ? `${t("admin.stocks.resume")}${q.haltedUntil ? ` (${fmtLeft(q.haltedUntil - now())})` : ""}`
                          : t("admin.stocks.halt")}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
