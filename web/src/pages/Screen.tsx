/** The projector view: 16:9, readable from the back of the hall, no login. */
import { useParams, useSearchParams } from "@solidjs/router";
import { For, Show, createMemo, createSignal, onCleanup } from "solid-js";
import { createStore } from "solid-js/store";
import type { NewsItem } from "../../../worker/shared/messages";
import { ConnBadge } from "../components/ConnBadge";
import { PriceChart } from "../components/PriceChart";
import { Qr } from "../components/Qr";
import { TeamStandings } from "../components/TeamStandings";
import { usePageTitle } from "../lib/title";
import { createFeed, now } from "../lib/feed";
import { fmtLeft, fmtMoney0, fmtPct, fmtPrice, fmtReturn, trend, trendPct } from "../lib/format";

const TOP = 10;
/** With teams, the board shares the column with the team standings. */
const TOP_WITH_TEAMS = 5;
const TEAMS_SHOWN = 5;
const STATUS_TEXT = {
  lobby: "Starting soon",
  open: "Market open",
  paused: "Trading paused",
  closed: "Market closed",
} as const;

export default function Screen() {
  const params = useParams();
  const [search] = useSearchParams();
  const code = params.code!.toUpperCase();
  const feed = createFeed(code);
  onCleanup(() => feed.close());
  const joinUrl = `${location.origin}/join/${code}`;
  usePageTitle(() => [code, "Screen"]);

  // The big chart follows the most traded stock, re-chosen every 30 s so it does not flicker.
  const [active, setActive] = createSignal<string | null>(null);
  const pickActive = () => {
    const fixed = typeof search.symbol === "string" ? search.symbol.toUpperCase() : null;
    if (fixed && feed.quote(fixed)) return setActive(fixed);
    const list = [...feed.state.symbols];
    if (!list.length) return;
    list.sort((a, b) => b.volume - a.volume || Math.abs(b.changePct) - Math.abs(a.changePct));
    setActive(list[0].symbol);
  };
  feed.on("snapshot", () => active() ?? pickActive());
  const chooser = setInterval(pickActive, 30_000);
  onCleanup(() => clearInterval(chooser));
  const q = () => (active() ? feed.quote(active()!) : undefined);

  // Leaderboard rows keyed by name so a rank change moves the row instead of redrawing it.
  const [board, setBoard] = createStore<
    Record<string, { rank: number; netWorth: number; returnPct: number; delta: number; at: number }>
  >({});
  const shown = () => (feed.state.teams.length ? TOP_WITH_TEAMS : TOP);
  const names = createMemo(() => {
    const top = feed.state.leaders.slice(0, shown());
    for (const l of top) {
      const prev = board[l.name];
      const delta = prev ? prev.rank - l.rank : 0;
      setBoard(l.name, {
        rank: l.rank,
        netWorth: l.netWorth,
        returnPct: l.returnPct,
        delta: delta !== 0 ? delta : (prev?.delta ?? 0),
        at: delta !== 0 ? Date.now() : (prev?.at ?? 0),
      });
    }
    return top.map((l) => l.name).sort();
  });

  // Breaking news takes over the bottom of the screen for a while.
  const [flash, setFlash] = createSignal<NewsItem | null>(null);
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  feed.on("news", (n) => {
    setFlash(n);
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => setFlash(null), 15_000);
    if (n.impacts[0] && feed.quote(n.impacts[0].symbol)) setActive(n.impacts[0].symbol);
  });
  onCleanup(() => clearTimeout(flashTimer));

  const halted = () => feed.state.symbols.filter((s) => s.halted);
  const joined = () => feed.state.market?.players ?? 0;
  const status = () => feed.state.market?.status ?? "lobby";

  return (
    <div class="screen-wrap">
      <div class={`stage status-bg-${status()}`} data-testid="screen">
        <header class="sc-top">
          <div class="sc-title">
            <span class="sc-name">{feed.state.market?.name ?? code}</span>
            <span class={`pill sc-pill status-${status()}`}>{STATUS_TEXT[status()]}</span>
            <ConnBadge feed={feed} />
          </div>
          <div class="sc-join">
            <div class="sc-join-text">
              <span class="muted">Join at</span>
              <span class="sc-url">{location.host}/join</span>
              <span class="sc-code mono">{code}</span>
            </div>
            <div class="sc-qr">
              <Qr text={joinUrl} size={150} label={`QR code to join ${code}`} />
            </div>
          </div>
        </header>

        <main class="sc-main">
          <section class="sc-chart" aria-label="Featured stock">
            <Show when={q()} fallback={<p class="muted sc-wait">Waiting for the market…</p>}>
              {(s) => (
                <>
                  <div class="sc-chart-head">
                    <span class="sc-sym">{s().symbol}</span>
                    <span class="sc-sname muted">{s().name}</span>
                    <span class="sc-price num">{fmtPrice(s().price)}</span>
                    <span class={`sc-chg num ${trend(s().change)}`}>{fmtPct(s().changePct)}</span>
                  </div>
                  <Show when={halted().length}>
                    <div class="sc-halts" role="status">
                      <For each={halted()}>
                        {(h) => (
                          <span class="sc-halt">
                            {h.symbol} halted{h.haltedUntil ? ` · resumes in ${fmtLeft(h.haltedUntil - now())}` : ""}
                          </span>
                        )}
                      </For>
                    </div>
                  </Show>
                  <div class="sc-chart-box">
                    <PriceChart code={code} symbol={s().symbol} feed={feed} mode="line" height={0} big />
                  </div>
                </>
              )}
            </Show>
          </section>
          <section class="sc-board" aria-labelledby="sc-lb">
            <h2 id="sc-lb">{status() === "lobby" ? "Joined so far" : `Top ${shown()}`}</h2>
            {/* Before the bell the room watches the hall fill up: the count moves with every `lobby` message. */}
            <Show when={status() === "lobby" && joined() > 0}>
              <p class="sc-count" data-testid="screen-count">
                <span class="num">{joined()}</span> {joined() === 1 ? "player" : "players"}
              </p>
            </Show>
            <Show when={names().length} fallback={<p class="muted">Scan the code to join!</p>}>
              <ol class={`sc-leaders${feed.state.teams.length ? " with-teams" : ""}`} data-testid="screen-leaders">
                <For each={names()}>
                  {(name) => {
                    const row = () => board[name];
                    return (
                      <li
                        class="sc-row"
                        style={{ transform: `translateY(calc(${(row()?.rank ?? 1) - 1} * var(--row)))` }}
                        data-rank={row()?.rank}
                      >
                        <span class="sc-rank num">{row()?.rank}</span>
                        <span class="sc-lname">{name}</span>
                        <span class="sc-move" aria-hidden="true">
                          <Show when={row() && row()!.delta !== 0 && now() - row()!.at < 8000}>
                            <span class={row()!.delta > 0 ? "up" : "down"}>
                              {row()!.delta > 0 ? "▲" : "▼"}
                              {Math.abs(row()!.delta)}
                            </span>
                          </Show>
                        </span>
                        <span class="sc-nw num">{fmtMoney0(row()?.netWorth ?? 0)}</span>
                        <span class={`sc-ret num ${trendPct(row()?.returnPct ?? 0)}`}>
                          {fmtReturn(row()?.returnPct ?? 0)}
                        </span>
                      </li>
                    );
                  }}
                </For>
              </ol>
            </Show>
            <TeamStandings teams={feed.state.teams} variant="screen" limit={TEAMS_SHOWN} />
          </section>
        </main>

        <Show when={status() !== "open" && feed.state.market}>
          {/* In the lobby it sits over the (still flat) chart, so the names coming in stay readable. */}
          <div class={`sc-state${status() === "lobby" ? " sc-state-lobby" : ""}`} role="status">
            {STATUS_TEXT[status()]}
          </div>
        </Show>

        <Show when={flash()}>
          {(n) => (
            <div class="sc-flash" role="alert" data-testid="screen-flash">
              <span class="sc-flash-tag">Breaking</span>
              <span class="sc-flash-head">{n().headline}</span>
              <span class="sc-flash-impacts">
                <For each={n().impacts}>
                  {(i) => (
                    <span class={trend(i.move)}>
                      {i.symbol} {i.move > 0 ? "▲" : "▼"}
                    </span>
                  )}
                </For>
              </span>
            </div>
          )}
        </Show>

        <footer class="sc-ticker" aria-label="All stocks">
          <div class="sc-track">
            <For each={[0, 1]}>
              {(copy) => (
                <div class="sc-lane" aria-hidden={copy === 1 ? "true" : undefined}>
                  <For each={feed.state.symbols}>
                    {(s) => (
                      <span class="sc-tick">
                        <strong>{s.symbol}</strong>
                        <span class="num">{fmtPrice(s.price)}</span>
                        <Show when={!s.halted} fallback={<span class="halt-badge">HALT</span>}>
                          <span class={`num ${trend(s.change)}`}>{fmtPct(s.changePct)}</span>
                        </Show>
                      </span>
                    )}
                  </For>
                </div>
              )}
            </For>
          </div>
        </footer>
      </div>
    </div>
  );
}
