/** The market's state and the steps the engine allows from it, each behind a confirmation. */
import { For, Show, createSignal } from "solid-js";
import type { ControlAction, MarketStatus } from "../../../../worker/shared/protocol";
import { actionsFrom } from "../../../../worker/shared/lifecycle";
import { adminApi, plainError } from "../../lib/api";
import { toast } from "../Toasts";
import { t } from "../../i18n";

const LABEL = (action: ControlAction) => t(`admin.lifecycle.action.${action}`);
const QUESTION = (action: ControlAction) => t(`admin.lifecycle.question.${action}`);

export function Lifecycle(props: { code: string; token: string; status: MarketStatus | undefined }) {
  const [confirming, setConfirming] = createSignal<ControlAction | null>(null);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const btnClass = (a: ControlAction) => `btn ${a === "close" ? "btn-danger" : "btn-primary"}`;

  async function control(action: ControlAction) {
    setBusy(true);
    setError("");
    try {
      await adminApi.control(props.token, props.code, action);
      toast({ kind: "info", title: t("admin.lifecycle.done", { action: LABEL(action).toLowerCase() }) });
      setConfirming(null);
    } catch (e) {
      setError(plainError(e, "admin"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="st-h">
      <h2 id="st-h">
        {t("admin.lifecycle.state")} <span class={`pill status-${props.status ?? "lobby"}`}>{props.status ?? "…"}</span>
      </h2>
      <div class="btn-row">
        <For each={props.status ? actionsFrom(props.status) : []}>
          {(a) => (
            <button type="button" class={btnClass(a)} disabled={busy()} onClick={() => setConfirming(a)}>
              {LABEL(a)}
            </button>
          )}
        </For>
      </div>
      <Show when={props.status === "closed"}>
        <p class="muted">{t("admin.lifecycle.closed")}</p>
      </Show>
      <Show when={confirming()}>
        {(a) => (
          <div class="confirm" role="alertdialog" aria-labelledby="cf-t">
            <p id="cf-t">{QUESTION(a())}</p>
            <div class="btn-row">
              <button type="button" class={btnClass(a())} disabled={busy()} onClick={() => control(a())}>
                {t("admin.lifecycle.yes", { action: LABEL(a()).toLowerCase() })}
              </button>
              <button type="button" class="btn" onClick={() => setConfirming(null)}>
                {t("admin.cancel")}
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </section>
  );
}
