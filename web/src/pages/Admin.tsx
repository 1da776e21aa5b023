/** The organiser console (lazy-loaded): create, run and narrate a market. */
import { A, useNavigate, useParams } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createResource, createSignal, on, onCleanup } from "solid-js";
import { createStore } from "solid-js/store";
import type {
  ControlAction,
  MarketInfo,
  MarketRules,
  NewsImpactInput,
  NewsInput,
  NewsItem,
  PlayerSummary,
} from "../../../worker/shared/protocol";
import { ConnBadge } from "../components/ConnBadge";
import { Qr } from "../components/Qr";
import { toast } from "../components/Toasts";
import { api, plainError } from "../lib/api";
import { downloadWithToken } from "../lib/download";
import { createFeed, now } from "../lib/feed";
import { fmtClock, fmtInt, fmtLeft, fmtMoney, fmtPct, fmtPrice, trend } from "../lib/format";
import { forgetAdminToken, getAdminToken, saveAdminToken } from "../lib/session";
import { TEMPLATES } from "../lib/templates";
import { usePageTitle } from "../lib/title";
import { DEFAULT_RULES } from "../../../worker/market/engine/types";
import { FieldError, FormError } from "../components/FormError";
import { type FieldErrors, type SymbolRow, createMarketBody, emptyRow, fieldErrorsOf, toRow } from "../lib/marketForm";

export default function Admin() {
  const [token, setToken] = createSignal(getAdminToken());
  return (
    <div class="admin">
      <header class="admin-bar">
        <A href="/admin" class="brand" aria-label="MarketFlow organiser console, home">
          <span class="logo" aria-hidden="true">◢</span> MarketFlow <span class="muted">organiser</span>
        </A>
        <Show when={token()}>
          <button
            type="button"
            class="btn btn-small"
            onClick={() => {
              forgetAdminToken();
              setToken(null);
            }}
          >
            Sign out
          </button>
        </Show>
      </header>
      <Show when={token()} fallback={<TokenGate onToken={setToken} />}>
        {(t) => <AdminHome token={t()} onUnauthorized={() => (forgetAdminToken(), setToken(null))} />}
      </Show>
    </div>
  );
}

function TokenGate(props: { onToken: (t: string) => void }) {
  const [value, setValue] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  usePageTitle(() => ["Sign in", "Console"]);
  async function submit(e: Event) {
    e.preventDefault();
    const t = value().trim();
    if (!t) return setError("Enter the organiser token.");
    setBusy(true);
    setError("");
    try {
      await api("/api/markets", { token: t });
      saveAdminToken(t);
      props.onToken(t);
    } catch (err) {
      setError(plainError(err, "admin"));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="page narrow">
      <h1>Organiser sign-in</h1>
      <form class="card" onSubmit={submit}>
        <label class="field">
          <span>Organiser token</span>
          <input type="password" name="token" autocomplete="current-password" value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <p class="muted">It stays in this browser only, so you enter it once.</p>
        <FormError message={error()} />
        <button class="btn btn-primary btn-big" type="submit" disabled={busy()}>
          {busy() ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

function AdminHome(props: { token: string; onUnauthorized: () => void }) {
  const params = useParams();
  const code = () => params.code?.toUpperCase();
  return (
    <Show when={code()} fallback={<MarketsHome token={props.token} onUnauthorized={props.onUnauthorized} />} keyed>
      {(c) => <Console code={c} token={props.token} />}
    </Show>
  );
}

function MarketsHome(props: { token: string; onUnauthorized: () => void }) {
  usePageTitle(() => ["Console"]);
  const [markets, { refetch }] = createResource(async () => {
    try {
      return (await api<{ markets: MarketInfo[] }>("/api/markets", { token: props.token })).markets;
    } catch (e) {
      if ((e as { code?: string }).code === "UNAUTHORIZED") props.onUnauthorized();
      throw e;
    }
  });
  return (
    <main class="page">
      <section class="card" aria-labelledby="mk-h">
        <div class="section-head">
          <h1 id="mk-h">Markets</h1>
          <button type="button" class="btn btn-small" onClick={() => refetch()}>
            Refresh
          </button>
        </div>
        <Show when={!markets.error} fallback={<p class="error">{plainError(markets.error, "admin")}</p>}>
          <Show when={markets()?.length} fallback={<p class="muted">{markets.loading ? "Loading…" : "No markets yet. Create one below."}</p>}>
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="r">Players</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={markets()}>
                    {(m) => (
                      <tr>
                        <th scope="row" class="mono">
                          {m.code}
                        </th>
                        <td>{m.name}</td>
                        <td>
                          <span class={`pill status-${m.status}`}>{m.status}</span>
                        </td>
                        <td class="r num">{m.players ?? "–"}</td>
                        <td class="r">
                          <A class="btn btn-small" href={`/admin/${m.code}`} aria-label={`Run market ${m.code}`}>
                            Run
                          </A>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </Show>
      </section>
      <CreateMarket token={props.token} />
    </main>
  );
}

function CreateMarket(props: { token: string }) {
  const navigate = useNavigate();
  const [name, setName] = createSignal("Trading Night");
  const [code, setCode] = createSignal("");
  const [cash, setCash] = createSignal("10000");
  const [tick, setTick] = createSignal("2");
  const [rows, setRows] = createStore<SymbolRow[]>(TEMPLATES[0].symbols.map(toRow));
  const [error, setError] = createSignal("");
  const [fieldErrors, setFieldErrors] = createSignal<FieldErrors>({});
  const [busy, setBusy] = createSignal(false);
  const fe = (key: string) => fieldErrors()[key];

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const body = createMarketBody({ name: name(), code: code(), cash: cash(), tickSeconds: tick(), rows });
    setBusy(true);
    setError("");
    setFieldErrors({});
    try {
      const res = await api<{ market: MarketInfo }>("/api/markets", { method: "POST", body, token: props.token });
      toast({ kind: "info", title: `Market ${res.market.code} created` });
      navigate(`/admin/${res.market.code}`);
    } catch (err) {
      const byField = fieldErrorsOf(err);
      setFieldErrors(byField);
      const n = Object.keys(byField).length;
      setError(n ? `The market was not created: ${n === 1 ? "one field needs" : `${n} fields need`} a fix, marked below.` : plainError(err, "admin"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="cr-h" novalidate>
      <h2 id="cr-h">Create a market</h2>
      <div class="form-grid">
        <label class="field">
          <span>Name</span>
          <input name="marketName" value={name()} onInput={(e) => setName(e.currentTarget.value)} maxlength={80} aria-invalid={!!fe("name")} />
          <FieldError message={fe("name")} />
        </label>
        <label class="field">
          <span>Code (optional, 4-12 letters/digits)</span>
          <input name="marketCode" class="code-input" value={code()} maxlength={12} onInput={(e) => setCode(e.currentTarget.value.toUpperCase())} aria-invalid={!!fe("code")} />
          <FieldError message={fe("code")} />
        </label>
        <label class="field">
          <span>Starting cash ($)</span>
          <input name="startingCash" type="number" inputmode="decimal" min="0.01" max="10000000000" step="0.01" value={cash()} onInput={(e) => setCash(e.currentTarget.value)} aria-invalid={!!fe("startingCash")} />
          <FieldError message={fe("startingCash")} />
        </label>
        <label class="field">
          <span>Tick (seconds)</span>
          <input name="tick" type="number" inputmode="decimal" min="0.25" max="60" step="0.001" value={tick()} onInput={(e) => setTick(e.currentTarget.value)} aria-invalid={!!fe("tickMs")} />
          <FieldError message={fe("tickMs")} />
        </label>
        <label class="field">
          <span>Stocks from a template</span>
          <select
            name="template"
            onChange={(e) => {
              const t = TEMPLATES.find((x) => x.id === e.currentTarget.value);
              if (t) setRows(t.symbols.map(toRow));
              setFieldErrors({});
            }}
          >
            <For each={TEMPLATES}>{(t) => <option value={t.id}>{t.label}</option>}</For>
          </select>
        </label>
      </div>
      <div class="table-wrap">
        <table class="table edit-table" aria-label="Stocks">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Name</th>
              <th scope="col">Price $</th>
              <th scope="col">Vol. %/10 min</th>
              <th scope="col">Liquidity</th>
              <th scope="col">Sector</th>
              <th scope="col">
                <span class="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={rows}>
              {(r, i) => {
                const cell = (k: string) => fe(`symbols.${i()}.${k}`);
                return (
                  <tr>
                    <td>
                      <input aria-label={`Symbol ${i() + 1}`} value={r.symbol} maxlength={8} class="mono" aria-invalid={!!cell("symbol")} onInput={(e) => setRows(i(), "symbol", e.currentTarget.value.toUpperCase())} />
                      <FieldError message={cell("symbol")} />
                    </td>
                    <td>
                      <input aria-label={`Name of stock ${i() + 1}`} value={r.name} maxlength={64} aria-invalid={!!cell("name")} onInput={(e) => setRows(i(), "name", e.currentTarget.value)} />
                      <FieldError message={cell("name")} />
                    </td>
                    <td>
                      <input aria-label={`Price of stock ${i() + 1}`} type="number" inputmode="decimal" step="0.01" min="0.01" max="10000000000" value={r.price} aria-invalid={!!cell("price")} onInput={(e) => setRows(i(), "price", e.currentTarget.value)} />
                      <FieldError message={cell("price")} />
                    </td>
                    <td>
                      <input aria-label={`Volatility of stock ${i() + 1}`} type="number" inputmode="decimal" step="any" min="0" max="200" value={r.volatility} aria-invalid={!!cell("volatility")} onInput={(e) => setRows(i(), "volatility", e.currentTarget.value)} />
                      <FieldError message={cell("volatility")} />
                    </td>
                    <td>
                      <input aria-label={`Liquidity of stock ${i() + 1}`} type="number" inputmode="numeric" step="any" min="1" max="1000000000000" value={r.liquidity} aria-invalid={!!cell("liquidity")} onInput={(e) => setRows(i(), "liquidity", e.currentTarget.value)} />
                      <FieldError message={cell("liquidity")} />
                    </td>
                    <td>
                      <input aria-label={`Sector of stock ${i() + 1}`} value={r.sector} maxlength={32} aria-invalid={!!cell("sector")} onInput={(e) => setRows(i(), "sector", e.currentTarget.value)} />
                      <FieldError message={cell("sector")} />
                    </td>
                    <td>
                      <button type="button" class="btn btn-small" aria-label={`Remove stock ${r.symbol || i() + 1}`} onClick={() => setRows((list) => list.filter((_, j) => j !== i()))}>
                        ×
                      </button>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
      <FieldError message={fe("symbols")} />
      <p>
        <button type="button" class="btn btn-small" onClick={() => setRows(rows.length, emptyRow())}>
          + Add a stock
        </button>
      </p>
      <FormError message={error()} />
      <button type="submit" class="btn btn-primary" disabled={busy()}>
        {busy() ? "Creating…" : "Create market"}
      </button>
    </form>
  );
}

const CONTROL_LABEL: Record<ControlAction, string> = { open: "Open trading", pause: "Pause", resume: "Resume", close: "Close for good" };
const ACTIONS_FOR: Record<string, ControlAction[]> = { lobby: ["open", "close"], open: ["pause", "close"], paused: ["resume", "close"], closed: [] };

function Console(props: { code: string; token: string }) {
  const feed = createFeed(props.code);
  onCleanup(() => feed.close());
  const m = () => feed.state.market;
  const closed = () => m()?.status === "closed";
  usePageTitle(() => [props.code, "Console"]);
  const joinUrl = () => `${location.origin}/join/${props.code}`;
  const [confirming, setConfirming] = createSignal<ControlAction | null>(null);
  const [ctlError, setCtlError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  async function control(action: ControlAction) {
    setBusy(true);
    setCtlError("");
    try {
      await api(`/api/markets/${props.code}/control`, { method: "POST", body: { action }, token: props.token });
      toast({ kind: "info", title: `Market: ${CONTROL_LABEL[action].toLowerCase()} done` });
      setConfirming(null);
    } catch (e) {
      setCtlError(plainError(e, "admin"));
    } finally {
      setBusy(false);
    }
  }

  async function haltToggle(symbol: string, halted: boolean) {
    try {
      await api(`/api/markets/${props.code}/symbols/${symbol}/${halted ? "resume" : "halt"}`, { method: "POST", token: props.token });
      toast({ kind: "info", title: `${symbol} ${halted ? "resumed" : "halted"}` });
    } catch (e) {
      toast({ kind: "error", title: plainError(e, "admin") });
    }
  }

  // The organiser's view of the market carries its rules (halt band for the news preview).
  const [info] = createResource(async () => (await api<{ market: MarketInfo }>(`/api/markets/${props.code}/admin`, { token: props.token })).market);
  const [players, { refetch: refetchPlayers }] = createResource(
    async () => (await api<{ players: PlayerSummary[] }>(`/api/markets/${props.code}/players`, { token: props.token })).players,
  );
  const poll = setInterval(() => void refetchPlayers(), 5000);
  onCleanup(() => clearInterval(poll));

  async function exportCsv(kind: "fills" | "standings") {
    try {
      await downloadWithToken(`/api/markets/${props.code}/export/${kind}.csv`, props.token, `${props.code}-${kind}.csv`);
    } catch (e) {
      toast({ kind: "error", title: plainError(e, "admin") });
    }
  }

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(joinUrl());
      toast({ kind: "info", title: "Join link copied" });
    } catch {
      toast({ kind: "info", title: joinUrl() });
    }
  }

  return (
    <main class="page console">
      <div class="section-head">
        <h1>
          {m()?.name ?? props.code} <span class="mono muted">{props.code}</span>
        </h1>
        <ConnBadge feed={feed} />
      </div>
      <Show when={feed.state.fatal === "not_found"}>
        <p class="error" role="alert">
          There is no market {props.code}.
        </p>
      </Show>
      <div class="console-grid">
        <div class="console-col">
        <section class="card" aria-labelledby="st-h">
          <h2 id="st-h">
            State: <span class={`pill status-${m()?.status ?? "lobby"}`}>{m()?.status ?? "…"}</span>
          </h2>
          <div class="btn-row">
            <For each={ACTIONS_FOR[m()?.status ?? "closed"] ?? []}>
              {(a) => (
                <button type="button" class={`btn ${a === "close" ? "btn-danger" : "btn-primary"}`} disabled={busy()} onClick={() => setConfirming(a)}>
                  {CONTROL_LABEL[a]}
                </button>
              )}
            </For>
          </div>
          <Show when={closed()}>
            <p class="muted">Closed for good: the standings are final. Download them under Players.</p>
          </Show>
          <Show when={confirming()}>
            {(a) => (
              <div class="confirm" role="alertdialog" aria-labelledby="cf-t">
                <p id="cf-t">
                  {a() === "close"
                    ? "Close the market for good? Standings freeze and no more orders are taken."
                    : a() === "pause"
                      ? "Pause trading for everyone?"
                      : a() === "open"
                        ? "Open trading? Prices start moving and players can trade."
                        : "Resume trading for everyone?"}
                </p>
                <div class="btn-row">
                  <button type="button" class={`btn ${a() === "close" ? "btn-danger" : "btn-primary"}`} disabled={busy()} onClick={() => control(a())}>
                    Yes, {CONTROL_LABEL[a()].toLowerCase()}
                  </button>
                  <button type="button" class="btn" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            )}
          </Show>
          <Show when={ctlError()}>
            <p class="error" role="alert">
              {ctlError()}
            </p>
          </Show>
        </section>

        <section class="card" aria-labelledby="sy-h">
          <h2 id="sy-h">Stocks</h2>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Stock</th>
                  <th scope="col" class="r">Price</th>
                  <th scope="col" class="r">Change</th>
                  <th scope="col" class="r">Volume</th>
                  <th scope="col">Trading</th>
                </tr>
              </thead>
              <tbody>
                <For each={feed.state.symbols}>
                  {(q) => (
                    <tr>
                      <th scope="row">{q.symbol}</th>
                      <td class="r num">{fmtPrice(q.price)}</td>
                      <td class={`r num ${trend(q.change)}`}>{fmtPct(q.changePct)}</td>
                      <td class="r num">{fmtInt(q.volume)}</td>
                      <td>
                        <Show when={!closed()} fallback={<span class="muted">Closed</span>}>
                        <button type="button" class={`btn btn-small ${q.halted ? "btn-primary" : ""}`} onClick={() => haltToggle(q.symbol, q.halted)} aria-label={`${q.halted ? "Resume" : "Halt"} ${q.symbol}`}>
                          {q.halted ? `Resume${q.haltedUntil ? ` (${fmtLeft(q.haltedUntil - now())})` : ""}` : "Halt"}
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

        <section class="card" aria-labelledby="pl-h">
          <div class="section-head">
            <h2 id="pl-h">Players ({players()?.length ?? 0})</h2>
            <div class="btn-row">
              <button type="button" class="btn btn-small" onClick={() => exportCsv("standings")}>
                Download standings CSV
              </button>
              <button type="button" class="btn btn-small" onClick={() => exportCsv("fills")}>
                Download fills CSV
              </button>
            </div>
          </div>
          <Show when={players()?.length} fallback={<p class="muted">{players.error ? plainError(players.error, "admin") : "Nobody has joined yet. Show the QR code."}</p>}>
            <div class="table-wrap">
              <table class="table" aria-label="Players">
                <thead>
                  <tr>
                    <th scope="col" class="r">Rank</th>
                    <th scope="col">Name</th>
                    <th scope="col" class="r">Cash</th>
                    <th scope="col" class="r">Net worth</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={[...(players() ?? [])].sort((a, b) => a.rank - b.rank)}>
                    {(p) => (
                      <tr>
                        <td class="r num">{p.rank}</td>
                        <th scope="row">{p.name}</th>
                        <td class="r num">{fmtMoney(p.cash)}</td>
                        <td class="r num">{fmtMoney(p.netWorth)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </section>
        </div>
        <div class="console-col">
        <section class="card join-card" aria-labelledby="jl-h">
          <h2 id="jl-h">Join link</h2>
          <div class="join-row">
            <Qr text={joinUrl()} size={140} label={`QR code to join market ${props.code}`} />
            <div>
              <p class="mono big">{props.code}</p>
              <p class="muted small-break">{joinUrl()}</p>
              <div class="btn-row">
                <button type="button" class="btn btn-small" onClick={copyLink}>
                  Copy link
                </button>
                <a class="btn btn-small" href={`/screen/${props.code}`} target="_blank" rel="noopener">
                  Open projector view
                </a>
              </div>
            </div>
          </div>
        </section>

        <NewsComposer code={props.code} token={props.token} feed={feed} rules={info()?.rules} />

        </div>
      </div>
    </main>
  );
}

type ImpactRow = { symbol: string; movePct: string; ticks: string };

function NewsComposer(props: { code: string; token: string; feed: ReturnType<typeof createFeed>; rules?: MarketRules }) {
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
        if (n && impacts.length === 0) setImpacts([{ symbol: props.feed.state.symbols[0].symbol, movePct: "8", ticks: "5" }]);
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
        return { symbol: r.symbol, from: q?.price ?? 0, to: (q?.price ?? 0) * (1 + move), move, ticks, secs: (ticks * tickMs()) / 1000 };
      }),
  );

  // GET /news (an organiser extension of the contract) lists the scheduled items too.
  const [allNews, { refetch: refetchNews, mutate: setAllNews }] = createResource(
    async () => (await api<{ news: NewsItem[] }>(`/api/markets/${props.code}/news`, { token: props.token })).news,
  );
  props.feed.on("news", () => void refetchNews());
  const scheduled = createMemo(() => (allNews() ?? []).filter((n) => n.status === "scheduled").sort((a, b) => a.t - b.t));

  async function publish(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const list: NewsImpactInput[] = impacts
      .filter((r) => r.symbol && r.movePct !== "")
      .map((r) => ({ symbol: r.symbol, move: Number(r.movePct) / 100, ticks: Math.max(1, Math.round(Number(r.ticks) || 1)) }));
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
      const res = await api<{ news: NewsItem }>(`/api/markets/${props.code}/news`, { method: "POST", body: input, token: props.token });
      if (res.news.status === "scheduled") setAllNews((list) => [res.news, ...(list ?? [])]);
      toast({ kind: "info", title: res.news.status === "scheduled" ? `News scheduled for ${fmtClock(res.news.t)}` : "News published" });
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
      await api(`/api/markets/${props.code}/news/${n.id}`, { method: "DELETE", token: props.token });
      setAllNews((list) => (list ?? []).filter((x) => x.id !== n.id));
      toast({ kind: "info", title: "Scheduled news cancelled" });
    } catch (e) {
      toast({ kind: "error", title: plainError(e, "admin") });
    }
  }

  return (
    <section class="card news-composer" aria-labelledby="nc-h">
      <h2 id="nc-h">Publish news</h2>
      <Show when={props.feed.state.market?.status !== "closed"} fallback={<p class="muted" data-testid="news-closed">The market is closed: news no longer moves prices, so there is nothing to publish.</p>}>
      <form onSubmit={publish}>
        <label class="field">
          <span>Headline</span>
          <input name="headline" maxlength={140} value={headline()} onInput={(e) => setHeadline(e.currentTarget.value)} />
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
                  <select aria-label={`Stock for effect ${i() + 1}`} value={r.symbol} onChange={(e) => setImpacts(i(), "symbol", e.currentTarget.value)}>
                    <For each={props.feed.state.symbols}>{(q) => <option value={q.symbol}>{q.symbol}</option>}</For>
                  </select>
                </label>
                <label class="field">
                  <span>Move %</span>
                  <input aria-label={`Move in percent for effect ${i() + 1}`} type="number" step="0.5" min="-90" max="500" value={r.movePct} onInput={(e) => setImpacts(i(), "movePct", e.currentTarget.value)} />
                </label>
                <label class="field">
                  <span>Over ticks</span>
                  <input aria-label={`Ticks for effect ${i() + 1}`} type="number" step="1" min="1" max="1000" value={r.ticks} onInput={(e) => setImpacts(i(), "ticks", e.currentTarget.value)} />
                </label>
                <button type="button" class="btn btn-small" aria-label={`Remove effect ${i() + 1}`} onClick={() => setImpacts((l) => l.filter((_, j) => j !== i()))}>
                  ×
                </button>
              </div>
            )}
          </For>
          <button
            type="button"
            class="btn btn-small"
            onClick={() => setImpacts(impacts.length, { symbol: props.feed.state.symbols[0]?.symbol ?? "", movePct: "-5", ticks: "5" })}
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
                    <strong>{p.symbol}</strong> {fmtPrice(p.from)} → about <strong class={trend(p.move)}>{fmtPrice(p.to)}</strong> ({fmtPct(p.move, 1)}) over {p.ticks}{" "}
                    tick{p.ticks === 1 ? "" : "s"} (~{Math.round(p.secs)} s), on top of normal noise and trading.
                    <Show when={Math.abs(p.move) >= haltBand()}>
                      <span class="warn">
                        {" "}
                        Beyond the {Math.round(haltBand() * 100)}% circuit breaker: {p.symbol} will likely halt for {haltTicks()} ticks.
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
            <input type="radio" name="when" checked={when() === "later"} onChange={() => setWhen("later")} /> At a time
          </label>
          <Show when={when() === "later"}>
            <label class="field">
              <span>Publish at</span>
              <input type="datetime-local" value={at()} onInput={(e) => setAt(e.currentTarget.value)} />
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
                <button type="button" class="btn btn-small" aria-label={`Cancel scheduled news: ${n.headline}`} onClick={() => cancel(n)}>
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
