/**
 * The projector view: 16:9, readable from the back of the hall, no login. Three layouts:
 * the lobby (a QR code phones can scan from far away, the countdown to the bell, who has
 * joined), trading (the featured chart, the standings, the time left) and, at the bell,
 * the results (components/screen/ScreenResults.tsx). Overlays (paused, halted, breaking
 * news) sit over the chart column only, so the standings are never hidden.
 */
import { useParams, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createSignal, onCleanup } from "solid-js";
import type { Leader, NewsItem, TeamStanding } from "../../../worker/shared/messages";
import { ConnBadge } from "../components/ConnBadge";
import { PriceChart } from "../components/PriceChart";
import { Qr } from "../components/Qr";
import { SessionClock, useCountdown } from "../components/SessionClock";
import { ScreenBoard } from "../components/screen/ScreenBoard";
import { ScreenResults } from "../components/screen/ScreenResults";
import { BestTeam, TeamStandings } from "../components/TeamStandings";
import { createFeed, now } from "../lib/feed";
import { fmtLeft, fmtPct, fmtPrice, trend } from "../lib/format";
import { fmtDuration } from "../lib/sessionClock";
import { joinUrlOf, publicHost } from "../lib/site";
import { usePageTitle } from "../lib/title";
import { t } from "../i18n";

const TOP = 10;
/** With teams, the board shares the column with the team standings. */
const TOP_WITH_TEAMS = 5;
const TEAMS_SHOWN = 5;
/** The chart stays on the stock in the news this long before the most traded one takes over again. */
const NEWS_PIN_MS = 60_000;

export default function Screen() {
  const params = useParams();
  const [search] = useSearchParams();
  const code = params.code!.toUpperCase();
  const feed = createFeed(code);
  onCleanup(() => feed.close());
  usePageTitle(() => [code, "Screen"]);
  const countdown = useCountdown(feed);
  const status = () => feed.state.market?.status ?? "lobby";
  const joined = () => feed.state.market?.players ?? 0;

  // The big chart follows the most traded stock, re-chosen every 30 s so it does not
  // flicker, except for a while after news: then it shows the stock the news is about.
  const [active, setActive] = createSignal<string | null>(null);
  let pinnedUntil = 0;
  const pickActive = () => {
    const fixed = typeof search.symbol === "string" ? search.symbol.toUpperCase() : null;
    if (fixed && feed.quote(fixed)) return setActive(fixed);
    if (Date.now() < pinnedUntil && active()) return;
    const list = [...feed.state.symbols];
    if (!list.length) return;
    list.sort((a, b) => b.volume - a.volume || Math.abs(b.changePct) - Math.abs(a.changePct));
    setActive(list[0].symbol);
  };
  feed.on("snapshot", () => active() ?? pickActive());
  const chooser = setInterval(pickActive, 30_000);
  onCleanup(() => clearInterval(chooser));
  const q = () => (active() ? feed.quote(active()!) : undefined);

  // Breaking news takes over the bottom of the chart for a while.
  const [flash, setFlash] = createSignal<NewsItem | null>(null);
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  feed.on("news", (n) => {
    setFlash(n);
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => setFlash(null), 15_000);
    const about = [...n.impacts].sort((a, b) => Math.abs(b.move) - Math.abs(a.move))[0];
    if (about && feed.quote(about.symbol)) {
      pinnedUntil = Date.now() + NEWS_PIN_MS;
      setActive(about.symbol);
    }
  });
  onCleanup(() => clearTimeout(flashTimer));

  // Halts count down only while the game runs: at the bell every clock stops.
  const halted = () => (status() === "closed" ? [] : feed.state.symbols.filter((s) => s.halted));
  const overlay = () =>
    status() === "paused"
      ? t("screen.status.paused")
      : q()?.halted && status() === "open"
        ? t("screen.halted", { symbol: q()!.symbol })
        : null;

  return (
    <div class="screen-wrap">
      <div class={`stage status-bg-${status()} stage-${status()}`} data-testid="screen" data-status={status()}>
        <header class="sc-top">
          <div class="sc-title">
            <span class="sc-name">{feed.state.market?.name ?? code}</span>
            <span class={`pill sc-pill status-${status()}`}>{t(`screen.status.${status()}`)}</span>
            <ConnBadge feed={feed} />
          </div>
          <SessionClock countdown={countdown()} class="sc-clock" />
          <Show when={status() !== "lobby"}>
            <div class="sc-join">
              <div class="sc-join-text">
                <span class="muted">{t("screen.joinAt")}</span>
                <span class="sc-url">{`${publicHost()}/join`}</span>
                <span class="sc-code mono">{code}</span>
              </div>
              <div class="sc-qr">
                <Qr text={joinUrlOf(code)} label={`QR code to join ${code}`} />
              </div>
            </div>
          </Show>
        </header>

        <Switch>
          <Match when={status() === "closed"}>
            <ScreenResults
              code={code}
              teamSlot={feed.state.teams.length ? <BestTeam teams={feed.state.teams} /> : undefined}
            />
          </Match>
          <Match when={status() === "lobby"}>
            <main class="sc-main sc-lobby">
              <section class="sc-join-big" aria-label={t("screen.howToJoin")}>
                <div class="sc-qr-big">
                  <Qr text={joinUrlOf(code)} label={`QR code to join ${code}`} />
                </div>
                <div class="sc-join-steps">
                  <span class="muted">{t("screen.scanOrOpen")}</span>
                  <span class="sc-url-big" style={{ "--chars": `${publicHost().length + 5}` }}>
                    {`${publicHost()}/join`}
                  </span>
                  <span class="muted">{t("screen.enterCode")}</span>
                  <span class="sc-code-big mono" style={{ "--chars": `${code.length}` }}>
                    {code}
                  </span>
                  <Show when={feed.state.market?.session?.durationMs}>
                    {(ms) => <span class="sc-length">{t("screen.length", { duration: fmtDuration(ms()) })}</span>}
                  </Show>
                </div>
              </section>
              <Board status={status()} joined={joined()} leaders={feed.state.leaders} teams={feed.state.teams} />
            </main>
          </Match>
          <Match when={true}>
            <main class="sc-main">
              <section class="sc-chart" aria-label={t("screen.featured")}>
                <Show when={q()} fallback={<p class="muted sc-wait">{t("screen.waiting")}</p>}>
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
                                {t("screen.halted", { symbol: h.symbol })}
                                {h.haltedUntil ? t("screen.resumesIn", { left: fmtLeft(h.haltedUntil - now()) }) : ""}
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
                <Show when={overlay()}>
                  <div class="sc-state" role="status" data-testid="screen-overlay">
                    {overlay()}
                  </div>
                </Show>
                <Show when={flash()}>
                  {(n) => (
                    <div class="sc-flash" role="alert" data-testid="screen-flash">
                      <span class="sc-flash-tag">{t("screen.breaking")}</span>
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
              </section>
              <Board status={status()} joined={joined()} leaders={feed.state.leaders} teams={feed.state.teams} />
            </main>
          </Match>
        </Switch>

        <Show when={status() !== "closed"}>
          <footer class="sc-ticker" aria-label={t("screen.allStocks")} data-marquee>
            <div class="sc-track">
              <For each={[0, 1]}>
                {(copy) => (
                  <div class="sc-lane" aria-hidden={copy === 1 ? "true" : undefined}>
                    <For each={feed.state.symbols}>
                      {(s) => (
                        <span class="sc-tick">
                          <strong>{s.symbol}</strong>
                          <span class="num">{fmtPrice(s.price)}</span>
                          <Show when={!s.halted} fallback={<span class="halt-badge">{t("screen.haltBadge")}</span>}>
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
        </Show>
      </div>
    </div>
  );
}

function Board(props: { status: string; joined: number; leaders: Leader[]; teams: TeamStanding[] }) {
  const shown = () => (props.teams.length ? TOP_WITH_TEAMS : TOP);
  return (
    <section class="sc-board" aria-labelledby="sc-lb">
      <h2 id="sc-lb">{props.status === "lobby" ? t("screen.joinedSoFar") : t("screen.top", { n: shown() })}</h2>
      {/* Before the bell the room watches the hall fill up: the count moves with every `lobby` message. */}
      <Show when={props.status === "lobby" && props.joined > 0}>
        <p class="sc-count" data-testid="screen-count">
          <span class="num">{props.joined}</span> {props.joined === 1 ? "player" : "players"}
        </p>
      </Show>
      <Show when={props.leaders.length} fallback={<p class="muted">{t("screen.scanToJoin")}</p>}>
        <ScreenBoard leaders={props.leaders} size={shown()} />
      </Show>
      <TeamStandings teams={props.teams} variant="screen" limit={TEAMS_SHOWN} />
    </section>
  );
}
