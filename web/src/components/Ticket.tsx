/**
 * The order ticket. One clientOrderId per submission: a double tap, or a retry after the
 * network failed mid-request, sends the same id, and the server executes it only once.
 */
import { Show, createMemo, createSignal, createEffect, on } from "solid-js";
import type { Order, OrderSide, OrderType } from "../../../worker/shared/messages";
import type { OrderInput } from "../../../worker/shared/protocol";
import { ApiError, playerApi, plainError } from "../lib/api";
import { estimateOrder, maxAffordable, rulesOrDefault } from "../lib/estimate";
import type { Feed } from "../lib/feed";
import { now } from "../lib/feed";
import { cents, dollars, fmtInt, fmtLeft, fmtMoney, fmtPct, priceInputText } from "../lib/format";
import { DEFAULT_RULES } from "../../../worker/market/engine/public";
import { describeOrder, newClientOrderId, quantityProblem, stopPriceProblem } from "../lib/orderText";

const PRESETS = [1, 10, 25, 100];

export { describeOrder, newClientOrderId, quantityProblem };

export function Ticket(props: {
  feed: Feed;
  code: string;
  token: string;
  symbol: string;
  initialSide?: OrderSide;
  onPlaced?: (o: Order) => void;
  /** Called with the clientOrderId just before it is sent (the fill message may beat the answer). */
  onSending?: (clientOrderId: string) => void;
  onUnauthorized?: () => void;
}) {
  const [side, setSide] = createSignal<OrderSide>(props.initialSide ?? "buy");
  const [type, setType] = createSignal<OrderType>("market");
  const [qtyText, setQtyText] = createSignal("10");
  const [limitText, setLimitText] = createSignal("");
  const [stopText, setStopText] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [pendingId, setPendingId] = createSignal<string | null>(null);
  const [result, setResult] = createSignal<{ ok: boolean; text: string } | null>(null);

  const quote = () => props.feed.quote(props.symbol);
  const market = () => props.feed.state.market;
  const rules = createMemo(() => rulesOrDefault(market()?.rules));
  const maxOrderQty = () => market()?.rules?.maxOrderQty ?? DEFAULT_RULES.maxOrderQty;
  const qty = () => {
    const n = Number(qtyText());
    return Number.isInteger(n) && n > 0 ? n : 0;
  };
  /** Why the typed quantity cannot be sent, in words; null when it can. */
  const qtyProblem = createMemo(() => quantityProblem(qtyText()));
  const limit = () => {
    const n = Number(limitText().replace(",", "."));
    return Number.isFinite(n) && n > 0 ? Math.round(n * 100) / 100 : 0;
  };
  const stopPrice = () => {
    const n = Number(stopText().replace(",", "."));
    return Number.isFinite(n) && n > 0 ? Math.round(n * 100) / 100 : 0;
  };
  const hasLimit = () => type() === "limit" || type() === "stop_limit";
  const hasStop = () => type() === "stop" || type() === "stop_limit";
  /** Why the stop price cannot be sent; null when it can (or the type has none). */
  const stopProblem = createMemo(() => {
    const q = quote();
    return hasStop() && q ? stopPriceProblem(stopPrice(), side(), q.price) : null;
  });
  const limitProblem = createMemo(() => (hasLimit() && !limit() ? "Enter a limit price." : null));
  const position = () => props.feed.state.portfolio?.positions.find((p) => p.symbol === props.symbol);
  const cash = () => props.feed.state.portfolio?.cash ?? 0;

  // A different order is a different submission: forget a kept id when inputs change.
  // An old answer next to a new order would mislead: clear it too.
  createEffect(
    on(
      [side, type, qtyText, limitText, stopText, () => props.symbol],
      () => {
        setPendingId(null);
        setResult(null);
      },
      { defer: true },
    ),
  );
  createEffect(
    on(
      () => props.symbol,
      () => {
        setResult(null);
        const q = quote();
        if (q) setLimitText(priceInputText(q.price));
      },
    ),
  );

  const estimate = createMemo(() => {
    const q = quote();
    if (!q || !qty()) return null;
    if (hasLimit()) {
      if (!limit()) return null;
      const value = cents(limit()) * qty();
      const fee = Math.round(value * rules().feeRate);
      return {
        priceCents: cents(limit()),
        totalCents: side() === "buy" ? value + fee : value - fee,
        feeCents: fee,
        slippage: null as number | null,
      };
    }
    // A stop is estimated at its stop price: the price it becomes a market order at.
    const from = type() === "stop" && stopPrice() ? stopPrice() : q.price;
    const e = estimateOrder(cents(from), side(), qty(), q.liquidity, rules());
    return { ...e, slippage: e.slippage as number | null };
  });

  const maxQty = createMemo(() => {
    const q = quote();
    if (!q) return 0;
    if (side() === "sell") {
      const p = position();
      return p ? Math.max(0, p.qty - p.reservedQty) : 0;
    }
    if (hasLimit() && limit()) {
      const per = cents(limit()) * (1 + rules().feeRate);
      return Math.min(maxOrderQty(), Math.floor(cents(cash()) / per));
    }
    return maxAffordable(cents(q.price), q.liquidity, rules(), cents(cash()), maxOrderQty());
  });

  const blocker = createMemo(() => {
    const m = market();
    const q = quote();
    if (!m || !q) return "Loading the market…";
    if (m.status === "lobby") return "The market has not opened yet.";
    if (m.status === "paused") return "The market is paused. Orders open again when it resumes.";
    if (m.status === "closed") return "The market is closed. Final standings are in.";
    if (q.halted)
      return `${q.symbol} is halted${q.haltedUntil ? `, resumes in ${fmtLeft(q.haltedUntil - now())}` : ""}.`;
    return null;
  });

  const warn = createMemo(() => {
    const e = estimate();
    if (!e || !qty()) return null;
    if (qty() > maxOrderQty()) return `The most you can trade in one order is ${fmtInt(maxOrderQty())}.`;
    if (side() === "buy" && e.totalCents > cents(cash())) return "That costs more than your cash.";
    if (side() === "sell" && qty() > maxQty() && !market()?.rules?.allowShort)
      return `You can sell at most ${fmtInt(maxQty())}.`;
    return null;
  });

  async function submit(e: Event) {
    e.preventDefault();
    if (busy() || blocker()) return; // a second tap while the first is in flight does nothing
    if (qtyProblem()) return; // the message is already next to the field
    if (stopProblem() || limitProblem()) return; // the messages are already next to the fields
    const id = pendingId() ?? newClientOrderId();
    setPendingId(id);
    props.onSending?.(id);
    setBusy(true);
    setResult(null);
    const body: OrderInput = {
      clientOrderId: id,
      symbol: props.symbol,
      side: side(),
      qty: qty(),
      type: type(),
      ...(hasLimit() ? { limitPrice: limit() } : {}),
      ...(hasStop() ? { stopPrice: stopPrice() } : {}),
    };
    try {
      const res = await playerApi.placeOrder(props.token, props.code, body);
      setPendingId(null);
      props.feed.setPortfolio(res.portfolio);
      setResult({ ok: true, text: describeOrder(res.order) });
      props.onPlaced?.(res.order);
    } catch (err) {
      if (err instanceof ApiError && (err.code === "NETWORK" || err.code === "INTERNAL")) {
        // Keep the id: tapping again retries the same order and cannot place it twice.
        setResult({ ok: false, text: `${plainError(err, "order")} Tap again to retry: it will not be placed twice.` });
      } else {
        setPendingId(null);
        if (err instanceof ApiError && err.code === "UNAUTHORIZED") props.onUnauthorized?.();
        setResult({ ok: false, text: plainError(err, "order") });
      }
    } finally {
      setBusy(false);
      queueMicrotask(() => resultEl?.scrollIntoView({ block: "nearest" }));
    }
  }

  let resultEl: HTMLDivElement | undefined;
  const held = () => position()?.qty ?? 0;
  // Where shorting is allowed, a sale past what you hold is a short and a buy against a
  // short covers it: the words say which, so nobody goes short by accident.
  const verb = () => {
    const allowShort = !!market()?.rules?.allowShort;
    if (side() === "buy") return allowShort && held() < 0 ? "Buy to cover" : "Buy";
    return allowShort && qty() > Math.max(0, held()) ? "Sell short" : "Sell";
  };

  return (
    <form class={`ticket side-${side()}`} onSubmit={submit} aria-label={`Order ticket for ${props.symbol}`} novalidate>
      <div class="seg" role="radiogroup" aria-label="Side">
        <button
          type="button"
          role="radio"
          aria-checked={side() === "buy"}
          class="seg-buy"
          onClick={() => setSide("buy")}
        >
          Buy
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={side() === "sell"}
          class="seg-sell"
          onClick={() => setSide("sell")}
        >
          Sell
        </button>
      </div>
      <div class="seg seg-small" role="radiogroup" aria-label="Order type">
        <button type="button" role="radio" aria-checked={type() === "market"} onClick={() => setType("market")}>
          Market
        </button>
        <button type="button" role="radio" aria-checked={type() === "limit"} onClick={() => setType("limit")}>
          Limit
        </button>
        <button type="button" role="radio" aria-checked={type() === "stop"} onClick={() => setType("stop")}>
          Stop
        </button>
        <button type="button" role="radio" aria-checked={type() === "stop_limit"} onClick={() => setType("stop_limit")}>
          Stop-limit
        </button>
      </div>
      <label class="field">
        <span>Quantity</span>
        <input
          name="qty"
          type="number"
          inputmode="numeric"
          min="1"
          step="1"
          value={qtyText()}
          aria-invalid={!!qtyProblem()}
          aria-describedby="ticket-hint"
          onInput={(e) => setQtyText(e.currentTarget.value)}
        />
      </label>
      <div class="presets" role="group" aria-label="Quick quantities">
        {PRESETS.map((n) => (
          <button type="button" class="chip" aria-label={`Quantity ${n}`} onClick={() => setQtyText(String(n))}>
            {n}
          </button>
        ))}
        <button
          type="button"
          class="chip"
          aria-label={`Maximum quantity, ${fmtInt(maxQty())}`}
          disabled={maxQty() <= 0}
          onClick={() => setQtyText(String(maxQty()))}
        >
          Max
        </button>
      </div>
      <Show when={hasStop()}>
        <label class="field">
          <span>Stop price ({side() === "buy" ? "buy when the price rises to" : "sell when the price falls to"})</span>
          <input
            name="stopPrice"
            type="number"
            inputmode="decimal"
            min="0.01"
            step="0.01"
            value={stopText()}
            aria-invalid={!!stopProblem()}
            onInput={(e) => setStopText(e.currentTarget.value)}
          />
        </label>
        <Show when={stopText() !== "" && stopProblem()}>
          <p class="error" data-testid="stop-problem">
            {stopProblem()}
          </p>
        </Show>
      </Show>
      <Show when={hasLimit()}>
        <label class="field">
          <span>Limit price ({side() === "buy" ? "highest you pay" : "lowest you accept"})</span>
          <input
            name="limitPrice"
            type="number"
            inputmode="decimal"
            min="0.01"
            step="0.01"
            value={limitText()}
            onInput={(e) => setLimitText(e.currentTarget.value)}
          />
        </label>
      </Show>
      <dl class="estimate" aria-live="polite">
        <div>
          <dt>{hasLimit() ? "Limit" : "Est. price"}</dt>
          <dd class="num">
            {estimate() ? fmtMoney(dollars(estimate()!.priceCents)) : "–"}
            <small class="muted est-sub">
              {estimate()?.slippage != null ? `${fmtPct(estimate()!.slippage!, 2)} vs last` : "\u00a0"}
            </small>
          </dd>
        </div>
        <div>
          <dt>{side() === "buy" ? "Est. cost" : "Est. proceeds"}</dt>
          <dd class="num strong">{estimate() ? fmtMoney(dollars(estimate()!.totalCents)) : "–"}</dd>
        </div>
        <div>
          <dt>{side() === "buy" ? "Cash" : "You own"}</dt>
          <dd class="num">{side() === "buy" ? fmtMoney(cash()) : `${fmtInt(position()?.qty ?? 0)} shares`}</dd>
        </div>
      </dl>
      {/* On a phone this block is pinned above the tab bar: the chart and the ticket are
          taller than the screen, and the button must stay in reach of the thumb. */}
      <div class="ticket-action" data-testid="ticket-action">
        {/* Next to the button, so on a phone the reason it is disabled is where the thumb is. */}
        <p class="hint" id="ticket-hint" aria-live="polite">
          {blocker() ??
            (qtyProblem() ? <span data-testid="qty-problem">{qtyProblem()}</span> : null) ??
            stopProblem() ??
            limitProblem() ??
            warn() ??
            "\u00a0"}
        </p>
        <button
          class={`btn btn-big btn-${side()}`}
          type="submit"
          disabled={busy() || !!blocker() || !!qtyProblem() || !!stopProblem() || !!limitProblem()}
          aria-busy={busy()}
        >
          {busy() ? "Sending…" : qty() ? `${verb()} ${fmtInt(qty())} ${props.symbol}` : `${verb()} ${props.symbol}`}
        </button>
        <div ref={resultEl} class="ticket-result-box">
          <Show when={result()}>
            {(r) => (
              <p class={r().ok ? "ok" : "error"} role={r().ok ? "status" : "alert"} data-testid="ticket-result">
                {r().text}
              </p>
            )}
          </Show>
        </div>
      </div>
    </form>
  );
}
