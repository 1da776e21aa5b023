/**
 * The timed session in the control room: what is scheduled, and the form to set, move or
 * clear it (in the lobby; once trading, only the close). Gone once the market is closed.
 */
import { Show, createEffect, createSignal, on } from "solid-js";
import { createStore } from "solid-js/store";
import type { MarketInfo } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import { fmtClock } from "../../lib/format";
import { fmtDuration } from "../../lib/sessionClock";
import { formOf, sessionBody, sessionFormProblem } from "../../lib/sessionForm";
import { toast } from "../Toasts";
import { SessionFields } from "./SessionFields";
import { t } from "../../i18n";

function describe(m: MarketInfo): string {
  const s = m.session;
  if (!s || (s.opensAt === null && s.closesAt === null && s.durationMs === null))
    return "No schedule: you open and close the market by hand.";
  const open =
    m.status === "lobby"
      ? s.opensAt !== null
        ? `Opens by itself at ${fmtClock(s.opensAt)}`
        : "Opens when you press Open"
      : s.opensAt !== null
        ? `Opened at ${fmtClock(s.opensAt)}`
        : "Open";
  const close =
    s.closesAt !== null
      ? `closes by itself at ${fmtClock(s.closesAt)}`
      : s.durationMs !== null
        ? `closes ${fmtDuration(s.durationMs)} after the open`
        : "closes when you press Close";
  return `${open}; ${close}.`;
}

export function SessionCard(props: { code: string; token: string; market: MarketInfo | null }) {
  const [values, setValues] = createStore(formOf(undefined));
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const trading = () => props.market?.status === "open" || props.market?.status === "paused";
  // The form starts from what the server holds, and follows it when the status changes.
  createEffect(
    on([() => props.market?.code, () => props.market?.status], () => setValues(formOf(props.market?.session))),
  );

  async function save(e: Event) {
    e.preventDefault();
    const problem = sessionFormProblem(values, trading());
    if (problem) return setError(problem);
    setBusy(true);
    setError("");
    try {
      await adminApi.setSession(props.token, props.code, sessionBody(values, trading()));
      toast({ kind: "info", title: t("admin.session.saved") });
    } catch (err) {
      setError(plainError(err, "admin"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Show when={props.market && props.market.status !== "closed"}>
      <form class="card" aria-labelledby="ss-h" onSubmit={save} novalidate>
        <h2 id="ss-h">{t("admin.session.heading")}</h2>
        <p class="muted" data-testid="session-summary">
          {describe(props.market!)}
        </p>
        <SessionFields values={values} set={setValues} trading={trading()} />
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" disabled={busy()}>
          {busy() ? "Saving…" : "Save schedule"}
        </button>
      </form>
    </Show>
  );
}
