/** One player's moderation in the console: rename in place, remove, or remove and block the name. */
import { Show, createSignal } from "solid-js";
import type { PlayerSummary } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import { toast } from "../Toasts";

export function PlayerRowActions(props: { code: string; token: string; player: PlayerSummary; onChanged: () => void }) {
  const [mode, setMode] = createSignal<"idle" | "rename" | "remove">("idle");
  const [name, setName] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");
  const p = () => props.player;

  async function run(work: () => Promise<string>) {
    setBusy(true);
    setError("");
    try {
      toast({ kind: "info", title: await work() });
      setMode("idle");
      props.onChanged();
    } catch (e) {
      setError(plainError(e, "admin"));
    } finally {
      setBusy(false);
    }
  }

  const rename = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const renamed = await adminApi.renamePlayer(props.token, props.code, p().id, name());
      return `${p().name} is now ${renamed.name}`;
    });
  };
  const remove = (block: boolean) =>
    run(async () => {
      const r = await adminApi.removePlayer(props.token, props.code, p().id, block);
      const orders = r.cancelledOrders ? `, ${r.cancelledOrders} open order(s) cancelled` : "";
      return `${r.removed.name} removed${r.blocked ? " and the name blocked" : ""}${orders}`;
    });

  return (
    <div class="row-actions">
      <Show when={mode() === "idle"}>
        <button
          type="button"
          class="btn btn-small"
          aria-label={`Rename ${p().name}`}
          onClick={() => {
            setName(p().name);
            setMode("rename");
          }}
        >
          Rename
        </button>
        <button
          type="button"
          class="btn btn-small btn-danger"
          aria-label={`Remove ${p().name}`}
          onClick={() => setMode("remove")}
        >
          Remove
        </button>
      </Show>
      <Show when={mode() === "rename"}>
        <form class="inline-form" onSubmit={rename}>
          <input
            aria-label={`New name for ${p().name}`}
            value={name()}
            maxlength={24}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" class="btn btn-small btn-primary" disabled={busy()}>
            Save
          </button>
          <button type="button" class="btn btn-small" onClick={() => setMode("idle")}>
            Cancel
          </button>
        </form>
      </Show>
      <Show when={mode() === "remove"}>
        <div class="confirm" role="alertdialog" aria-label={`Remove ${p().name}?`}>
          <p>Remove {p().name}? Their open orders are cancelled and they leave the standings.</p>
          <div class="btn-row">
            <button type="button" class="btn btn-small btn-danger" disabled={busy()} onClick={() => remove(false)}>
              Yes, remove
            </button>
            <button type="button" class="btn btn-small btn-danger" disabled={busy()} onClick={() => remove(true)}>
              Remove and block the name
            </button>
            <button type="button" class="btn btn-small" onClick={() => setMode("idle")}>
              Cancel
            </button>
          </div>
        </div>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
