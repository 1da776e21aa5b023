import { For, createSignal } from "solid-js";

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
    <div class="toasts" role="region" aria-label="Notifications" aria-live="polite">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast toast-${t.kind}`} role={t.kind === "error" ? "alert" : "status"} data-kind={t.kind}>
            <div class="toast-text">
              <strong>{t.title}</strong>
              {t.body ? <span>{t.body}</span> : null}
            </div>
            <button type="button" class="toast-close" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
