import { A, useSearchParams } from "@solidjs/router";
import { Show, createMemo, onCleanup } from "solid-js";
import { ConnBadge } from "../components/ConnBadge";
import { JoinForm } from "../components/JoinForm";
import { StockList } from "../components/StockList";
import { createFeed } from "../lib/feed";
import { lastCode, normaliseCode } from "../lib/session";
import { usePageTitle } from "../lib/title";
import { t } from "../i18n";

/** The front door: a live market to look at and a form to join it. */
export function Landing() {
  const [params] = useSearchParams();
  const code = createMemo(() => normaliseCode(String(params.code ?? "")) || "DEMO");
  const feed = createMemo(() => {
    const f = createFeed(code());
    onCleanup(() => f.close());
    return f;
  });
  usePageTitle(() => []);
  return (
    <main class="page landing">
      <header class="hero">
        <p class="brand" aria-label={t("app.name")}>
          <span class="logo" aria-hidden="true">
            ◢
          </span>{" "}
          {t("app.name")}
        </p>
        <h1>{t("landing.headline")}</h1>
        <p class="sub">{t("landing.sub")}</p>
      </header>
      <div class="landing-grid">
        <section aria-labelledby="join-h">
          <h2 id="join-h">{t("landing.joinHeading")}</h2>
          <JoinForm initialCode={normaliseCode(String(params.code ?? "")) || lastCode() || ""} />
        </section>
        <section aria-labelledby="live-h" class="card live-card">
          <div class="section-head">
            <h2 id="live-h">
              <Show when={feed().state.market} fallback={<>{t("landing.marketFallback", { code: code() })}</>}>
                {(m) => <>{m().name}</>}
              </Show>
            </h2>
            <ConnBadge feed={feed()} />
          </div>
          <Show when={feed().state.market}>
            {(m) => (
              <p class="muted">
                {t("landing.code")} <strong class="mono">{m().code}</strong> · {t(`status.${m().status}`)}
              </p>
            )}
          </Show>
          <Show
            when={feed().state.fatal !== "not_found"}
            fallback={<p class="muted">{t("landing.notRunning", { code: code() })}</p>}
          >
            <Show when={feed().state.symbols.length} fallback={<p class="muted">{t("landing.waitingPrices")}</p>}>
              <StockList
                symbols={feed().state.symbols}
                spark={feed().state.spark}
                label={t("landing.livePrices", { code: code() })}
              />
            </Show>
          </Show>
        </section>
      </div>
      <footer class="foot muted">
        {t("landing.organiserAsk")} <A href="/admin">{t("landing.organiserLink")}</A>
      </footer>
    </main>
  );
}
