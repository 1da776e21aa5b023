/** The player's screen: market, ticket, portfolio, orders, fills, leaderboard, news. */
import { Navigate, useNavigate, useParams } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createSignal, onCleanup } from "solid-js";
import { ConnBadge } from "../components/ConnBadge";
import { MyResult } from "../components/MyResult";
import { SessionClock, useCountdown } from "../components/SessionClock";
import { RulesSheet } from "../components/RulesSheet";
import {
  FillsPanel,
  Leaderboard,
  NewsPanel,
  OrdersPanel,
  PortfolioPanel,
  newsDirection,
} from "../components/PlayerPanels";
import { type ChartMode, PriceChart } from "../components/PriceChart";
import { StockList } from "../components/StockList";
import { Ticket, describeOrder } from "../components/Ticket";
import { toast } from "../components/Toasts";
import { playerApi } from "../lib/api";
import { usePageTitle } from "../lib/title";
import { createFeed, now } from "../lib/feed";
import { fmtCompact, fmtLeft, fmtMoney, fmtPct, fmtPrice, fmtReturn, trend, trendPct } from "../lib/format";
import { type PlayerSession, forgetPlayer, getPlayer, rememberCode, savePlayer } from "../lib/session";
import { TeamStandings } from "../components/TeamStandings";

type Tab = "market" | "portfolio" | "orders" | "leaders" | "news";
const TABS: { id: Tab; label: string }[] = [
  { id: "market", label: "Market" },
  { id: "portfolio", label: "Portfolio" },
  { id: "orders", label: "Orders" },
  { id: "leaders", label: "Ranks" },
  { id: "news", label: "News" },
];
const STATUS_TEXT = { lobby: "Not open yet", open: "Open", paused: "Paused", closed: "Closed" } as const;

export default function Play() {
  const params = useParams();
  const code = params.code!.toUpperCase();
  const session = getPlayer(code);
  if (!session) return <Navigate href={`/join/${code}`} />;
  return <PlayScreen code={code} session={session} />;
}

/** What a removed player sees instead of the market: why, and where to go. */
function Removed(props: { code: string; name: string }) {
  return (
    <main class="page narrow">
      <h1>You are no longer in {props.code}</h1>
      <p role="alert">
        The organiser removed <strong>{props.name}</strong> from this market. Your orders were cancelled.
      </p>
      <p>
        <a class="btn" href="/">
          Back to the start
        </a>
      </p>
    </main>
  );
}

function PlayScreen(props: { code: string; session: PlayerSession }) {
  const navigate = useNavigate();
  const { code, session } = props;
  // The organiser may rename the player mid-game; the phone follows.
  const [myName, setMyName] = createSignal(session.name);
  rememberCode(code);
  usePageTitle(() => [code, "Trade"]);
  const feed = createFeed(code, session.token);
  onCleanup(() => feed.close());
  const [tab, setTab] = createSignal<Tab>("market");
  const [selected, setSelected] = createSignal<string | null>(null);
  const [chartMode, setChartMode] = createSignal<ChartMode>("line");
  const [version, setVersion] = createSignal(0);
  const bump = () => setVersion((v) => v + 1);

  const expired = () => {
    forgetPlayer(code);
    toast({ kind: "error", title: "Your session has ended", body: "Join again with a nickname." });
    navigate(`/join/${code}`, { replace: true });
  };
  createEffect(() => {
    if (feed.state.fatal === "unauthorized") expired();
    // Removed by the organiser: this browser no longer plays here.
    if (feed.state.fatal === "removed") forgetPlayer(code);
  });
  feed.on("renamed", ({ name }) => {
    setMyName(name);
    savePlayer({ ...session, name });
    toast({ kind: "info", title: `The organiser renamed you to ${name}` });
  });

  // Breaking news and fills arrive while the player looks elsewhere: tell them.
  feed.on("news", (n) =>
    toast({ kind: "news", title: `Breaking: ${n.headline}`, body: newsDirection(n) || n.body }, 8000),
  );
  // A fill of the order the ticket is sending right now is reported by the ticket itself
  // (the fill message often arrives before the HTTP answer); later fills of resting limit
  // orders get a toast.
  const sending = new Map<string, number>();
  const placed = () => bump();
  feed.on("fill", ({ order }) => {
    const sentAt = sending.get(order.clientOrderId);
    if (sentAt === undefined || Date.now() - sentAt > 5000) toast({ kind: "fill", title: describeOrder(order) });
    bump();
  });
  let lastStatus: string | undefined;
  feed.on("status", (m) => {
    // A close needs no toast: the page turns into the player's result, with its own banner,
    // and a toast over it would cover the result's buttons on a phone.
    if (lastStatus && m.status !== lastStatus && m.status !== "closed")
      toast({ kind: "info", title: `Market ${STATUS_TEXT[m.status].toLowerCase()}` });
    lastStatus = m.status;
  });
  feed.on("snapshot", () => {
    lastStatus = feed.state.market?.status;
    if (feed.state.snapshots > 1) bump(); // resynced: orders and fills may have changed too
  });

  // Rank moves with everyone's trades: refresh the portfolio now and then (ticks revalue it locally).
  const refresh = setInterval(async () => {
    if (feed.state.conn !== "live") return;
    try {
      feed.setPortfolio(await playerApi.portfolio(session.token, code));
    } catch {
      /* the next try will do */
    }
  }, 15_000);
  onCleanup(() => clearInterval(refresh));

  const me = createMemo(() => {
    const p = feed.state.portfolio;
    if (!p) return null;
    const onBoard = feed.state.leaders.find((l) => l.name === myName());
    return {
      name: myName(),
      rank: onBoard?.rank ?? p.rank,
      netWorth: p.netWorth,
      // Percent, like the leaderboard's returnPct.
      returnPct: p.startingCash ? (p.netWorth / p.startingCash - 1) * 100 : 0,
    };
  });

  const select = (s: string) => {
    setSelected(s);
    setTab("market");
    queueMicrotask(() => document.getElementById("detail-h")?.focus());
  };
  const quote = () => (selected() ? feed.quote(selected()!) : undefined);
  const countdown = useCountdown(feed);
  const closed = () => feed.state.market?.status === "closed";

  return (
    <Show when={feed.state.fatal !== "removed"} fallback={<Removed code={code} name={myName()} />}>
      <div class="play" data-tab={tab()} data-detail={selected() ? "yes" : "no"}>
        <header class="topbar">
          <div class="topbar-main">
            <div class="mkt">
              <span class="mkt-name">{feed.state.market?.name ?? code}</span>
              <span class={`pill status-${feed.state.market?.status ?? "lobby"}`}>
                {STATUS_TEXT[feed.state.market?.status ?? "lobby"]}
              </span>
            </div>
            <SessionClock countdown={countdown()} class="play-clock" />
            <RulesSheet market={feed.state.market ?? undefined} />
            <ConnBadge feed={feed} />
          </div>
          <div class="topbar-me" aria-label="You">
            <span class="me-name">
              {myName()}
              <Show when={session.team}>
                {" "}
                <span class="me-team" data-testid="my-team">
                  · {session.team}
                </span>
              </Show>
            </span>
            <span class="me-rank num" data-testid="my-rank">
              #{me()?.rank || "–"}
            </span>
            <span class="me-nw num">{fmtMoney(me()?.netWorth)}</span>
            <span class={`num ${trendPct(me()?.returnPct ?? 0)}`}>{fmtReturn(me()?.returnPct ?? 0)}</span>
          </div>
        </header>
        <Show when={feed.state.fatal === "not_found"}>
          <p class="banner error" role="alert">
            This market no longer exists.
          </p>
        </Show>
        <Show
          when={
            feed.state.market?.status === "paused" ||
            feed.state.market?.status === "lobby" ||
            feed.state.market?.status === "closed"
          }
        >
          <p class="banner" role="status">
            {feed.state.market?.status === "paused"
              ? "Trading is paused by the organiser."
              : feed.state.market?.status === "lobby"
                ? `The market opens soon${(feed.state.market?.players ?? 0) > 1 ? `; ${feed.state.market?.players} players are in` : ""}. Look around; orders open with the bell.`
                : "The market is closed. These are the final standings."}
          </p>
        </Show>
        {/* At the bell every phone shows the player's own result first, whatever tab was open. */}
        <Show when={closed() && feed.state.conn === "live"}>
          <MyResult code={code} token={session.token} name={myName()} />
        </Show>

        <main class="play-grid">
          <section class="pane pane-market" aria-label="Stocks">
            <StockList symbols={feed.state.symbols} spark={feed.state.spark} selected={selected()} onSelect={select} />
          </section>

          <section class="pane pane-detail" aria-labelledby="detail-h">
            <Show when={quote()} fallback={<p class="muted pad">Pick a stock to see its chart and trade it.</p>}>
              {(q) => (
                <div class="detail">
                  <button type="button" class="link back" onClick={() => setSelected(null)}>
                    ← All stocks
                  </button>
                  <div class="detail-head">
                    <h2 id="detail-h" tabindex="-1">
                      {q().symbol} <span class="muted">{q().name}</span>
                    </h2>
                    <div class="detail-price">
                      <span class="num big">{fmtPrice(q().price)}</span>
                      <span class={`num ${trend(q().change)}`}>{fmtPct(q().changePct)}</span>
                    </div>
                  </div>
                  <Show when={q().halted}>
                    <p class="banner halt" role="status">
                      Halted
                      {q().haltedUntil
                        ? `: trading resumes in ${fmtLeft(q().haltedUntil! - now())}`
                        : " by the organiser"}
                    </p>
                  </Show>
                  <dl class="quote-stats">
                    <div>
                      <dt>Bid</dt>
                      <dd class="num">{fmtPrice(q().bid)}</dd>
                    </div>
                    <div>
                      <dt>Ask</dt>
                      <dd class="num">{fmtPrice(q().ask)}</dd>
                    </div>
                    <div>
                      <dt>High</dt>
                      <dd class="num">{fmtPrice(q().high)}</dd>
                    </div>
                    <div>
                      <dt>Low</dt>
                      <dd class="num">{fmtPrice(q().low)}</dd>
                    </div>
                    <div>
                      <dt>Volume</dt>
                      <dd class="num">{fmtCompact(q().volume)}</dd>
                    </div>
                  </dl>
                  <div class="seg seg-small chart-mode" role="radiogroup" aria-label="Chart type">
                    <button
                      type="button"
                      role="radio"
                      aria-checked={chartMode() === "line"}
                      onClick={() => setChartMode("line")}
                    >
                      Line
                    </button>
                    <button
                      type="button"
                      role="radio"
                      aria-checked={chartMode() === "candles"}
                      onClick={() => setChartMode("candles")}
                    >
                      Candles
                    </button>
                  </div>
                  <PriceChart code={code} symbol={q().symbol} feed={feed} mode={chartMode()} height={220} />
                  <Ticket
                    feed={feed}
                    code={code}
                    token={session.token}
                    symbol={q().symbol}
                    onPlaced={placed}
                    onSending={(id) => sending.set(id, Date.now())}
                    onUnauthorized={expired}
                  />
                </div>
              )}
            </Show>
          </section>

          <div class="pane pane-portfolio">
            <PortfolioPanel portfolio={feed.state.portfolio} onSelect={select} />
          </div>
          <div class="pane pane-orders">
            <OrdersPanel
              code={code}
              token={session.token}
              version={version()}
              onChanged={bump}
              onPortfolio={(p) => feed.setPortfolio(p)}
            />
            <FillsPanel code={code} token={session.token} version={version()} />
          </div>
          <div class="pane pane-leaders">
            <Leaderboard leaders={feed.state.leaders} me={me()} />
            <TeamStandings teams={feed.state.teams} mine={session.team} />
          </div>
          <div class="pane pane-news">
            <NewsPanel news={feed.state.news} />
          </div>
        </main>

        <nav class="tabbar" aria-label="Sections">
          <For each={TABS}>
            {(t) => (
              <button type="button" aria-current={tab() === t.id ? "page" : undefined} onClick={() => setTab(t.id)}>
                {t.label}
              </button>
            )}
          </For>
        </nav>
      </div>
    </Show>
  );
}
