import { A, useSearchParams } from "@solidjs/router";
import { Show, createMemo, onCleanup } from "solid-js";
import { ConnBadge } from "../components/ConnBadge";
import { JoinForm } from "../components/JoinForm";
import { StockList } from "../components/StockList";
import { createFeed } from "../lib/feed";
import { lastCode, normaliseCode } from "../lib/session";
import { usePageTitle } from "../lib/title";

const STATUS_TEXT = { lobby: "Starting soon", open: "Open", paused: "Paused", closed: "Closed" } as const;

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
        <p class="brand" aria-label="MarketFlow">
          <span class="logo" aria-hidden="true">
            ◢
          </span>{" "}
          MarketFlow
        </p>
        <h1>Trade live with everyone in the room.</h1>
        <p class="sub">Join with the code on the screen, pick a nickname, and beat the market before the bell.</p>
      </header>
      <div class="landing-grid">
        <section aria-labelledby="join-h">
          <h2 id="join-h">Join a market</h2>
          <JoinForm initialCode={normaliseCode(String(params.code ?? "")) || lastCode() || ""} />
        </section>
        <section aria-labelledby="live-h" class="card live-card">
          <div class="section-head">
            <h2 id="live-h">
              <Show when={feed().state.market} fallback={<>Market {code()}</>}>
                {(m) => <>{m().name}</>}
              </Show>
            </h2>
            <ConnBadge feed={feed()} />
          </div>
          <Show when={feed().state.market}>
            {(m) => (
              <p class="muted">
                Code <strong class="mono">{m().code}</strong> · {STATUS_TEXT[m().status]}
              </p>
            )}
          </Show>
          <Show
            when={feed().state.fatal !== "not_found"}
            fallback={<p class="muted">No market {code()} is running here right now. Enter a code to join one.</p>}
          >
            <Show when={feed().state.symbols.length} fallback={<p class="muted">Waiting for prices…</p>}>
              <StockList symbols={feed().state.symbols} spark={feed().state.spark} label={`Live prices of ${code()}`} />
            </Show>
          </Show>
        </section>
      </div>
      <footer class="foot muted">
        Running an event? <A href="/admin">Organiser console</A>
      </footer>
    </main>
  );
}
