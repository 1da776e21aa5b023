import { For, createSignal } from "solid-js";
import { t } from "../i18n";

export interface Toast {
  id: number;
  kind: "news" | "fill" | "info" | "error";
  title: string;
  body?: string;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let next = 1;

export function toast(t: Omit<Toast, "id">, ms = 6000): void {
  const id = next++;
  setToasts((list) => [...list.slice(-2), { ...t, id }]);
  setTimeout(() => dismiss(id), ms);
}
export function dismiss(id: number): void {
  setToasts((list) => list.filter((t) => t.id !== id));
}

/** Overlays at the top: they never push the page content around. */
export function Toasts() {
  return (
    <div class="toasts" role="region" aria-label={t("app.notifications")} aria-live="polite">
      <For each={toasts()}>
        {(item) => (
          <div
            class={`toast toast-${item.kind}`}
            role={item.kind === "error" ? "alert" : "status"}
            data-kind={item.kind}
          >
            <div class="toast-text">
              <strong>{item.title}</strong>
              {item.body ? <span>{item.body}</span> : null}
            </div>
            <button
              type="button"
              class="toast-close"
              aria-label={t("app.dismissNotification")}
              onClick={() => dismiss(item.id)}
            >
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
