/** The organiser's newsroom: a headline, its effect on stocks with a preview, now or at a time; scheduled items. */
import { For, Show, createEffect, createMemo, createResource, createSignal, on } from "solid-js";
import { createStore } from "solid-js/store";
import type { MarketRules, NewsImpactInput, NewsInput, NewsItem } from "../../../../worker/shared/protocol";
import { DEFAULT_RULES } from "../../../../worker/market/engine/public";
import { adminApi, plainError } from "../../lib/api";
import type { createFeed } from "../../lib/feed";
import { fmtClock, fmtPct, fmtPrice, trend } from "../../lib/format";
import { FormError } from "../FormError";
import { toast } from "../Toasts";

type ImpactRow = { symbol: string; movePct: string; ticks: string };

export function NewsComposer(props: {
  code: string;
  token: string;
  feed: ReturnType<typeof createFeed>;
  rules?: MarketRules;
}) {
  const [headline, setHeadline] = createSignal("");
  const [body, setBody] = createSignal("");
  const [impacts, setImpacts] = createStore<ImpactRow[]>([]);
  const [when, setWhen] = createSignal<"now" | "later">("now");
  const [at, setAt] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  // Seed one impact row once stocks are known.
  createEffect(
    on(
      () => props.feed.state.symbols.length,
      (n) => {
        if (n && impacts.length === 0)
          setImpacts([{ symbol: props.feed.state.symbols[0].symbol, movePct: "8", ticks: "5" }]);
      },
    ),
  );

  const tickMs = () => props.feed.state.market?.tickMs ?? 2000;
  const haltBand = () => props.rules?.haltBand ?? DEFAULT_RULES.haltBand;
  const haltTicks = () => props.rules?.haltTicks ?? DEFAULT_RULES.haltTicks;
  const preview = createMemo(() =>
    impacts
      .filter((r) => r.symbol && r.movePct !== "")
      .map((r) => {
        const q = props.feed.quote(r.symbol);
        const move = Number(r.movePct) / 100;
        const ticks = Math.max(1, Math.round(Number(r.ticks) || 1));
        return {
          symbol: r.symbol,
          from: q?.price ?? 0,
          to: (q?.price ?? 0) * (1 + move),
          move,
          ticks,
          secs: (ticks * tickMs()) / 1000,
        };
      }),
  );

  // GET /news (an organiser extension of the contract) lists the scheduled items too.
  const [allNews, { refetch: refetchNews, mutate: setAllNews }] = createResource(() =>
    adminApi.news(props.token, props.code),
  );
  props.feed.on("news", () => void refetchNews());
  const scheduled = createMemo(() =>
    // Script items (times after the open) are listed by the news script's timeline.
    (allNews() ?? []).filter((n) => n.status === "scheduled" && n.afterOpenMs === undefined).sort((a, b) => a.t - b.t),
  );

  async function publish(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const list: NewsImpactInput[] = impacts
      .filter((r) => r.symbol && r.movePct !== "")
      .map((r) => ({
        symbol: r.symbol,
        move: Number(r.movePct) / 100,
        ticks: Math.max(1, Math.round(Number(r.ticks) || 1)),
      }));
    const input: NewsInput = {
      headline: headline().trim(),
      ...(body().trim() ? { body: body().trim() } : {}),
      impacts: list,
      ...(when() === "later" && at() ? { publishAt: new Date(at()).toISOString() } : {}),
    };
    if (!input.headline) return setError("Write a headline.");
    setBusy(true);
    setError("");
    try {
      const news = await adminApi.publishNews(props.token, props.code, input);
      if (news.status === "scheduled") setAllNews((list) => [news, ...(list ?? [])]);
      toast({
        kind: "info",
        title: news.status === "scheduled" ? `News scheduled for ${fmtClock(news.t)}` : "News published",
      });
      setHeadline("");
      setBody("");
    } catch (err) {
      setError(plainError(err, "admin"));
    } finally {
      setBusy(false);
    }
  }

  async function cancel(n: NewsItem) {
    try {
      await adminApi.cancelNews(props.token, props.code, n.id);
      setAllNews((list) => (list ?? []).filter((x) => x.id !== n.id));
      toast({ kind: "info", title: "Scheduled news cancelled" });
    } catch (e) {
      toast({ kind: "error", title: plainError(e, "admin") });
    }
  }

  return (
    <section class="card news-composer" aria-labelledby="nc-h">
      <h2 id="nc-h">Publish news</h2>
      <Show
        when={props.feed.state.market?.status !== "closed"}
        fallback={
          <p class="muted" data-testid="news-closed">
            The market is closed: news no longer moves prices, so there is nothing to publish.
          </p>
        }
      >
        <form onSubmit={publish}>
          <label class="field">
            <span>Headline</span>
            <input
              name="headline"
              maxlength={140}
              value={headline()}
              onInput={(e) => setHeadline(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>Body (optional)</span>
            <textarea name="body" maxlength={2000} value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
          </label>
          <fieldset class="impacts">
            <legend>Effect on stocks</legend>
            <For each={impacts}>
              {(r, i) => (
                <div class="impact-row">
                  <label class="field">
                    <span>Stock</span>
                    <select
                      aria-label={`Stock for effect ${i() + 1}`}
                      value={r.symbol}
                      onChange={(e) => setImpacts(i(), "symbol", e.currentTarget.value)}
                    >
                      <For each={props.feed.state.symbols}>{(q) => <option value={q.symbol}>{q.symbol}</option>}</For>
                    </select>
                  </label>
                  <label class="field">
                    <span>Move %</span>
                    <input
                      aria-label={`Move in percent for effect ${i() + 1}`}
                      type="number"
                      step="0.5"
                      min="-90"
                      max="500"
                      value={r.movePct}
                      onInput={(e) => setImpacts(i(), "movePct", e.currentTarget.value)}
                    />
                  </label>
                  <label class="field">
                    <span>Over ticks</span>
                    <input
                      aria-label={`Ticks for effect ${i() + 1}`}
                      type="number"
                      step="1"
                      min="1"
                      max="1000"
                      value={r.ticks}
                      onInput={(e) => setImpacts(i(), "ticks", e.currentTarget.value)}
                    />
                  </label>
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-label={`Remove effect ${i() + 1}`}
                    onClick={() => setImpacts((l) => l.filter((_, j) => j !== i()))}
                  >
                    ×
                  </button>
                </div>
              )}
            </For>
            <button
              type="button"
              class="btn btn-small"
              onClick={() =>
                setImpacts(impacts.length, {
                  symbol: props.feed.state.symbols[0]?.symbol ?? "",
                  movePct: "-5",
                  ticks: "5",
                })
              }
            >
              + Add a stock
            </button>
          </fieldset>
          <Show when={preview().length}>
            <div class="preview" aria-live="polite">
              <h3>Preview</h3>
              <ul>
                <For each={preview()}>
                  {(p) => (
                    <li>
                      <strong>{p.symbol}</strong> {fmtPrice(p.from)} → about{" "}
                      <strong class={trend(p.move)}>{fmtPrice(p.to)}</strong> ({fmtPct(p.move, 1)}) over {p.ticks} tick
                      {p.ticks === 1 ? "" : "s"} (~{Math.round(p.secs)} s), on top of normal noise and trading.
                      <Show when={Math.abs(p.move) >= haltBand()}>
                        <span class="warn">
                          {" "}
                          Beyond the {Math.round(haltBand() * 100)}% circuit breaker: {p.symbol} will likely halt for{" "}
                          {haltTicks()} ticks.
                        </span>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </div>
          </Show>
          <fieldset class="when">
            <legend>When</legend>
            <label class="radio">
              <input type="radio" name="when" checked={when() === "now"} onChange={() => setWhen("now")} /> Now
            </label>
            <label class="radio">
              <input type="radio" name="when" checked={when() === "later"} onChange={() => setWhen("later")} /> At a
              time
            </label>
            <Show when={when() === "later"}>
              <label class="field">
                <span>Publish at</span>
                <input type="datetime-local" step="1" value={at()} onInput={(e) => setAt(e.currentTarget.value)} />
              </label>
            </Show>
          </fieldset>
          <FormError message={error()} />
          <button type="submit" class="btn btn-primary" disabled={busy()}>
            {busy() ? "Sending…" : when() === "later" ? "Schedule news" : "Publish now"}
          </button>
        </form>
      </Show>
      <Show when={scheduled().length}>
        <h3>Scheduled</h3>
        <ul class="rows">
          <For each={scheduled()}>
            {(n) => (
              <li class="row">
                <span>
                  <span class="num muted">{fmtClock(n.t)}</span> {n.headline}
                </span>
                <button
                  type="button"
                  class="btn btn-small"
                  aria-label={`Cancel scheduled news: ${n.headline}`}
                  onClick={() => cancel(n)}
                >
                  Cancel
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
