/**
 * A live market's news script: the timeline of items published by themselves a set time
 * of trading after the open, each with its state (waiting for the open, due at a time,
 * held by a pause, published). Scheduled items can be edited, moved earlier or later
 * (swapping times with the neighbour), deleted, and new ones added.
 */
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { MarketStatus, NewsItem } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import type { createFeed } from "../../lib/feed";
import { fmtClock } from "../../lib/format";
import { type ScriptRow, clockText, emptyImpact, scriptItemOf, scriptRowOf } from "../../lib/scriptForm";
import { FormError } from "../FormError";
import { toast } from "../Toasts";
import { ScriptItemFields } from "./ScriptItemFields";

type ScriptNews = NewsItem & { afterOpenMs: number };

export function stateOf(n: ScriptNews, status: MarketStatus | undefined): string {
  if (n.status === "published") return `published at ${fmtClock(n.t)}`;
  if (status === "lobby") return "waiting for the open";
  if (status === "paused") return "held while paused";
  if (status === "closed") return "not published";
  return `due at ${fmtClock(n.t)}`;
}

export function NewsScript(props: { code: string; token: string; feed: ReturnType<typeof createFeed> }) {
  const [news, { refetch }] = createResource(() => adminApi.news(props.token, props.code));
  props.feed.on("news", () => void refetch());
  props.feed.on("status", () => void refetch());
  const items = createMemo(() =>
    (news() ?? [])
      .filter((n): n is ScriptNews => n.afterOpenMs !== undefined && n.status !== "cancelled")
      .sort((a, b) => a.afterOpenMs - b.afterOpenMs || a.id.localeCompare(b.id)),
  );
  const status = () => props.feed.state.market?.status;
  const symbols = () => props.feed.state.symbols.map((s) => s.symbol);
  const [editing, setEditing] = createSignal<string | null>(null);
  const [row, setRow] = createStore<ScriptRow>({ at: "", headline: "", body: "", impacts: [] });
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  const startEdit = (n: ScriptNews | null) => {
    setError("");
    if (n) {
      setRow(reconcile(scriptRowOf(n)));
      setEditing(n.id);
    } else {
      const last = items()[items().length - 1];
      setRow(
        reconcile({
          at: clockText((last?.afterOpenMs ?? 0) + 60_000),
          headline: "",
          body: "",
          impacts: [emptyImpact(symbols()[0] ?? "")],
        }),
      );
      setEditing("new");
    }
  };

  async function run(what: () => Promise<unknown>, done: string) {
    if (busy()) return;
    setBusy(true);
    setError("");
    try {
      await what();
      toast({ kind: "info", title: done });
      setEditing(null);
    } catch (e) {
      setError(plainError(e, "admin"));
    } finally {
      setBusy(false);
      void refetch();
    }
  }

  const save = () => {
    const item = scriptItemOf(row);
    const id = editing();
    if (id === "new")
      return run(
        () => adminApi.publishNews(props.token, props.code, { ...item, body: item.body ?? "" }),
        "Added to the script",
      );
    if (id)
      return run(
        () => adminApi.editNews(props.token, props.code, id, { ...item, body: item.body ?? "" }),
        "Script item saved",
      );
  };

  /** Moves item i to j's place by swapping their times. */
  const swap = (a: ScriptNews, b: ScriptNews) =>
    run(async () => {
      await adminApi.editNews(props.token, props.code, a.id, { afterOpenMs: b.afterOpenMs });
      await adminApi.editNews(props.token, props.code, b.id, { afterOpenMs: a.afterOpenMs });
    }, "Script reordered");

  const editor = (label: string) => (
    <div class="script-edit" data-testid="script-edit">
      <ScriptItemFields row={row} set={setRow} symbols={symbols()} label={label} />
      <div class="btn-row">
        <button type="button" class="btn btn-primary" disabled={busy()} onClick={() => void save()}>
          {editing() === "new" ? "Add to the script" : "Save item"}
        </button>
        <button type="button" class="btn" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </div>
    </div>
  );

  return (
    <section class="card news-script" aria-labelledby="ns-h">
      <h2 id="ns-h">News script</h2>
      <p class="muted">
        Each item publishes by itself at its time of trading after the open; a pause holds the script.
      </p>
      <Show when={items().length === 0}>
        <p class="muted">No scripted news yet.</p>
      </Show>
      <ol class="script-timeline">
        <For each={items()}>
          {(n, i) => {
            const scheduled = () => n.status === "scheduled" && status() !== "closed";
            const prev = () => items()[i() - 1];
            const next = () => items()[i() + 1];
            return (
              <li class={`script-entry ${n.status}`} data-testid="script-entry">
                <span class="num script-at">+{clockText(n.afterOpenMs)}</span>
                <span class="script-main">
                  <strong>{n.headline}</strong>
                  <small class="muted">
                    {n.impacts
                      .map((x) => `${x.symbol} ${x.move > 0 ? "+" : ""}${Math.round(x.move * 1000) / 10}%`)
                      .join(", ")}
                  </small>
                </span>
                <span class={`pill script-state state-${n.status}`} data-testid="script-state">
                  {stateOf(n, status())}
                </span>
                <Show when={scheduled()}>
                  <span class="btn-row">
                    <button
                      type="button"
                      class="btn btn-small"
                      aria-label={`Move earlier: ${n.headline}`}
                      disabled={busy() || prev()?.status !== "scheduled"}
                      onClick={() => void swap(n, prev()!)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="btn btn-small"
                      aria-label={`Move later: ${n.headline}`}
                      disabled={busy() || next()?.status !== "scheduled"}
                      onClick={() => void swap(n, next()!)}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      class="btn btn-small"
                      aria-label={`Edit: ${n.headline}`}
                      onClick={() => startEdit(n)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      class="btn btn-small"
                      disabled={busy()}
                      aria-label={`Delete: ${n.headline}`}
                      onClick={() =>
                        void run(() => adminApi.cancelNews(props.token, props.code, n.id), "Removed from the script")
                      }
                    >
                      Delete
                    </button>
                  </span>
                </Show>
                <Show when={editing() === n.id}>{editor("Script item")}</Show>
              </li>
            );
          }}
        </For>
      </ol>
      <FormError message={error()} />
      <Show when={status() !== "closed"}>
        <Show
          when={editing() === "new"}
          fallback={
            <button type="button" class="btn btn-small" onClick={() => startEdit(null)}>
              + Add a script item
            </button>
          }
        >
          {editor("New item")}
        </Show>
      </Show>
    </section>
  );
}
