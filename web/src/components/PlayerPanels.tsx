import { For, Show, createResource, createSignal } from "solid-js";
import type { Fill, Leader, NewsItem, Order, Portfolio } from "../../../worker/shared/messages";
import { playerApi, plainError } from "../lib/api";
import {
  fmtClock,
  fmtInt,
  fmtMoney,
  fmtPct,
  fmtPrice,
  fmtReturn,
  fmtSignedMoney,
  trend,
  trendPct,
} from "../lib/format";
import { FormError } from "./FormError";

export function PortfolioPanel(props: { portfolio: Portfolio | null; onSelect?: (s: string) => void }) {
  const ret = () => (props.portfolio?.startingCash ? props.portfolio.netWorth / props.portfolio.startingCash - 1 : 0);
  return (
    <section class="card" aria-labelledby="pf-h" data-testid="portfolio">
      <h2 id="pf-h">Portfolio</h2>
      <Show when={props.portfolio} fallback={<p class="muted">Loading…</p>}>
        {(p) => (
          <>
            <dl class="kpis">
              <div>
                <dt>Net worth</dt>
                <dd class="num big" data-testid="networth">
                  {fmtMoney(p().netWorth)}
                </dd>
              </div>
              <div>
                <dt>Return</dt>
                <dd class={`num ${trend(ret())}`}>{fmtPct(ret())}</dd>
              </div>
              <div>
                <dt>Cash</dt>
                <dd class="num" data-testid="cash">
                  {fmtMoney(p().cash)}
                </dd>
              </div>
              <div>
                <dt>Held for orders</dt>
                <dd class="num" data-testid="reserved">
                  {fmtMoney(p().reserved)}
                </dd>
              </div>
            </dl>
            <Show when={p().positions.length} fallback={<p class="muted">No shares yet. Pick a stock and buy.</p>}>
              <div class="table-wrap">
                <table class="table" aria-label="Positions">
                  <thead>
                    <tr>
                      <th scope="col">Stock</th>
                      <th scope="col" class="r">
                        Qty
                      </th>
                      <th scope="col" class="r">
                        Avg
                      </th>
                      <th scope="col" class="r">
                        Value
                      </th>
                      <th scope="col" class="r">
                        P/L
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={p().positions.filter((x) => x.qty !== 0)}>
                      {(pos) => (
                        <tr data-symbol={pos.symbol}>
                          <th scope="row">
                            <Show when={props.onSelect} fallback={pos.symbol}>
                              <button
                                type="button"
                                class="link"
                                aria-label={`Trade ${pos.symbol}`}
                                onClick={() => props.onSelect!(pos.symbol)}
                              >
                                {pos.symbol}
                              </button>
                            </Show>
                          </th>
                          <td class="r num">
                            {fmtInt(pos.qty)}
                            <Show when={pos.qty < 0}>
                              {" "}
                              <span class="tag sell" title={`Short: you owe ${fmtMoney(-pos.value)} of ${pos.symbol}`}>
                                short
                              </span>
                            </Show>
                          </td>
                          <td class="r num">{fmtPrice(pos.avgCost)}</td>
                          <td class="r num">{fmtMoney(pos.value)}</td>
                          <td class={`r num ${trend(pos.pnl)}`}>{fmtSignedMoney(pos.pnl)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={shortExposure(p().positions) > 0}>
                <p class="muted" data-testid="short-exposure">
                  Short exposure: <span class="num">{fmtMoney(shortExposure(p().positions))}</span> (what buying back
                  your short shares costs at today's prices)
                </p>
              </Show>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}

/** What buying back every short position would cost at the current prices. */
function shortExposure(positions: Portfolio["positions"]): number {
  return positions.reduce((sum, pos) => (pos.qty < 0 ? sum - pos.value : sum), 0);
}

/** A stop that has not triggered: it waits for its stop price and holds nothing. */
function waitingStop(o: Order): boolean {
  return o.stopPrice != null && o.triggeredAt == null;
}

/** The prices that decide an open order: its limit, and for a waiting stop its trigger. */
function OrderPrices(props: { order: Order }) {
  const o = props.order;
  return (
    <Show
      when={waitingStop(o)}
      fallback={
        <>
          at <span class="num">{fmtMoney(o.limitPrice)}</span>
        </>
      }
    >
      <span class="tag">{o.type === "stop_limit" ? "stop-limit" : "stop"}</span> at{" "}
      <span class="num">{fmtMoney(o.stopPrice!)}</span>
      <Show when={o.limitPrice != null}>
        {", limit "}
        <span class="num">{fmtMoney(o.limitPrice)}</span>
      </Show>
    </Show>
  );
}

export function OrdersPanel(props: {
  code: string;
  token: string;
  version: number;
  onChanged: () => void;
  /** The portfolio the cancel answered with: the released cash shows at once, not at the next poll. */
  onPortfolio?: (p: Portfolio) => void;
}) {
  const [orders, { refetch }] = createResource(
    () => props.version,
    () => playerApi.openOrders(props.token, props.code),
  );
  const [error, setError] = createSignal("");
  const [cancelling, setCancelling] = createSignal<string | null>(null);
  async function cancel(o: Order) {
    if (cancelling()) return;
    setCancelling(o.id);
    setError("");
    try {
      const res = await playerApi.cancelOrder(props.token, props.code, o.id);
      props.onPortfolio?.(res.portfolio);
      props.onChanged();
      void refetch();
    } catch (e) {
      setError(plainError(e, "cancel"));
    } finally {
      setCancelling(null);
    }
  }
  return (
    <section class="card" aria-labelledby="oo-h">
      <h2 id="oo-h">Open orders</h2>
      <FormError message={error()} />
      <Show when={orders()?.length} fallback={<p class="muted">{orders.loading ? "Loading…" : "No open orders."}</p>}>
        <ul class="rows">
          <For each={orders()}>
            {(o) => (
              <li class="row" data-order={o.id}>
                <span>
                  <span class={`tag ${o.side}`}>{o.side}</span> {fmtInt(o.qty - o.filledQty)}{" "}
                  <strong>{o.symbol}</strong> <OrderPrices order={o} />
                </span>
                <button
                  type="button"
                  class="btn btn-small"
                  disabled={cancelling() === o.id}
                  aria-label={`Cancel ${o.side} ${o.qty} ${o.symbol} ${waitingStop(o) ? `stop at ${fmtPrice(o.stopPrice!)}` : `at ${fmtPrice(o.limitPrice)}`}`}
                  onClick={() => cancel(o)}
                >
                  {cancelling() === o.id ? "Cancelling…" : "Cancel"}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

export function FillsPanel(props: { code: string; token: string; version: number }) {
  const [more, setMore] = createSignal<Fill[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [first] = createResource(
    () => props.version,
    async () => {
      const r = await playerApi.fills(props.token, props.code);
      setMore([]);
      setCursor(r.next ?? null);
      return r.fills;
    },
  );
  async function loadMore() {
    const c = cursor();
    if (!c) return;
    const r = await playerApi.fills(props.token, props.code, c);
    setMore((m) => [...m, ...r.fills]);
    setCursor(r.next ?? null);
  }
  const all = () => [...(first() ?? []), ...more()];
  return (
    <section class="card" aria-labelledby="fl-h" data-testid="fills">
      <h2 id="fl-h">Fills</h2>
      <Show when={all().length} fallback={<p class="muted">{first.loading ? "Loading…" : "No trades yet."}</p>}>
        <ul class="rows">
          <For each={all()}>
            {(f) => (
              <li class="row" data-fill={f.id}>
                <span>
                  <span class={`tag ${f.side}`}>{f.side === "buy" ? "bought" : "sold"}</span> {fmtInt(f.qty)}{" "}
                  <strong>{f.symbol}</strong> at <span class="num">{fmtMoney(f.price)}</span>
                </span>
                <time class="muted num" datetime={new Date(f.t).toISOString()}>
                  {fmtClock(f.t)}
                </time>
              </li>
            )}
          </For>
        </ul>
        <Show when={cursor()}>
          <button type="button" class="btn btn-small" onClick={loadMore}>
            Load older fills
          </button>
        </Show>
      </Show>
    </section>
  );
}

/** The top of the board, and the player's own row pinned below when they are not in it. */
export function Leaderboard(props: {
  leaders: Leader[];
  me?: { name: string; rank: number; netWorth: number; returnPct: number } | null;
  title?: string;
}) {
  const mine = () => props.me && props.leaders.find((l) => l.name === props.me!.name);
  return (
    <section class="card" aria-labelledby="lb-h" data-testid="leaderboard">
      <h2 id="lb-h">{props.title ?? "Leaderboard"}</h2>
      <Show when={props.leaders.length} fallback={<p class="muted">No players yet.</p>}>
        <ol class="leaders">
          <For each={props.leaders}>
            {(l) => (
              <li class={props.me && l.name === props.me.name ? "me" : ""}>
                <span class="rank num">{l.rank}</span>
                <span class="lname">{l.name}</span>
                <span class="num">{fmtMoney(l.netWorth)}</span>
                <span class={`num ${trendPct(l.returnPct)}`}>{fmtReturn(l.returnPct)}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={props.me && !mine()}>
        <ol class="leaders pinned" aria-label="Your rank">
          <li class="me">
            <span class="rank num">{props.me!.rank || "–"}</span>
            <span class="lname">{props.me!.name} (you)</span>
            <span class="num">{fmtMoney(props.me!.netWorth)}</span>
            <span class={`num ${trendPct(props.me!.returnPct)}`}>{fmtReturn(props.me!.returnPct)}</span>
          </li>
        </ol>
      </Show>
    </section>
  );
}

export function newsDirection(n: NewsItem): string {
  return n.impacts.map((i) => `${i.symbol} ${i.move > 0 ? "▲" : i.move < 0 ? "▼" : "–"}`).join("  ");
}

export function NewsPanel(props: { news: NewsItem[] }) {
  const published = () => props.news.filter((n) => n.status !== "scheduled" && n.status !== "cancelled");
  return (
    <section class="card" aria-labelledby="nw-h" data-testid="news">
      <h2 id="nw-h">News</h2>
      <Show when={published().length} fallback={<p class="muted">No news yet. Stay tuned.</p>}>
        <ul class="news">
          <For each={published()}>
            {(n) => (
              <li>
                <time class="muted num" datetime={new Date(n.t).toISOString()}>
                  {fmtClock(n.t)}
                </time>
                <strong class="headline">{n.headline}</strong>
                <Show when={n.body}>
                  <p>{n.body}</p>
                </Show>
                <Show when={n.impacts.length}>
                  <p class="chips">
                    <For each={n.impacts}>
                      {(i) => (
                        <span class={`chip-static ${trend(i.move)}`}>
                          {i.symbol} {i.move > 0 ? "▲" : i.move < 0 ? "▼" : ""}
                        </span>
                      )}
                    </For>
                  </p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
