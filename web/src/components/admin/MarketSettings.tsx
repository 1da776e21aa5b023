/**
 * A created market's settings and rules, changeable where it is safe: everything in the
 * lobby; once trading started, only the rules that act on the next order (the engine's
 * list), the rest shown locked with the reason. Also the scenario export.
 */
import { Show, createEffect, createSignal, on } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { MarketInfo, MarketSettingsInput } from "../../../../worker/shared/protocol";
import { adminApi, plainError } from "../../lib/api";
import { downloadWithToken } from "../../lib/download";
import { currencySymbol, formatSpecOf } from "../../lib/format";
import { fieldErrorsOf, type FieldErrors } from "../../lib/marketForm";
import { decimalText } from "../../lib/numberText";
import { changedRules, type RulesText, rulesText, safeWhileTrading } from "../../lib/rulesForm";
import { FieldError, FormError } from "../FormError";
import { toast } from "../Toasts";
import { RulesFields } from "./RulesFields";

const LOCKED = "Fixed once trading started.";

export function MarketSettings(props: {
  code: string;
  token: string;
  market: MarketInfo | undefined;
  onSaved: (m: MarketInfo) => void;
}) {
  const [rules, setRules] = createStore<RulesText>(rulesText());
  const [saved, setSaved] = createStore<RulesText>(rulesText());
  const [cash, setCash] = createSignal("");
  const [tick, setTick] = createSignal("");
  const [error, setError] = createSignal("");
  const [fieldErrors, setFieldErrors] = createSignal<FieldErrors>({});
  const [busy, setBusy] = createSignal(false);
  const status = () => props.market?.status;
  const trading = () => status() !== "lobby";
  /** The market's own money format (its rules name it). */
  const money = () => formatSpecOf(props.market?.rules);

  createEffect(
    on(
      () => props.market,
      (m) => {
        if (!m?.rules) return;
        setRules(reconcile(rulesText(m.rules)));
        setSaved(reconcile(rulesText(m.rules)));
        setCash(String(m.startingCash));
        setTick(decimalText(m.tickMs / 1000));
      },
    ),
  );

  async function save(e: Event) {
    e.preventDefault();
    const m = props.market;
    if (!m || busy()) return;
    const body: MarketSettingsInput = {};
    const r = changedRules(saved, rules);
    if (Object.keys(r).length) body.rules = r;
    if (cash() !== String(m.startingCash)) body.startingCash = Number(cash());
    if (tick() !== decimalText(m.tickMs / 1000)) body.tickMs = Math.round(Number(tick()) * 1000);
    if (Object.keys(body).length === 0) return setError("Nothing changed.");
    setBusy(true);
    setError("");
    setFieldErrors({});
    try {
      const market = await adminApi.updateMarket(props.token, props.code, body);
      props.onSaved(market);
      toast({ kind: "info", title: "Rules saved" });
    } catch (err) {
      setFieldErrors(fieldErrorsOf(err, money()));
      setError(plainError(err, "admin"));
    } finally {
      setBusy(false);
    }
  }

  async function exportScenario() {
    try {
      await downloadWithToken(
        adminApi.scenarioPath(props.code),
        props.token,
        `${props.code.toLowerCase()}-scenario.json`,
      );
    } catch (err) {
      toast({ kind: "error", title: plainError(err, "admin") });
    }
  }

  return (
    <section class="card market-settings" aria-labelledby="ms-h">
      <div class="section-head">
        <h2 id="ms-h">Rules</h2>
        <button type="button" class="btn btn-small" onClick={() => void exportScenario()}>
          Export as scenario
        </button>
      </div>
      <Show when={props.market?.rules} fallback={<p class="muted">Loading…</p>}>
        <Show when={status() !== "closed"} fallback={<p class="muted">The market is closed: its rules are final.</p>}>
          <form onSubmit={save} novalidate>
            <p class="muted">
              {trading()
                ? "Trading has started: only the order-size and open-order limits, the bands, halts, the player cap and late entry can still change."
                : "In the lobby every rule can change; a new starting cash goes to everyone who joined."}
            </p>
            <div class="form-grid">
              <label class="field">
                <span>Starting cash ({currencySymbol(money())})</span>
                <input
                  name="settingsCash"
                  type="number"
                  step="0.01"
                  min="0.01"
                  max="10000000000"
                  value={cash()}
                  disabled={trading()}
                  onInput={(e) => setCash(e.currentTarget.value)}
                />
                <small class="muted">{trading() ? LOCKED : ""}</small>
                <FieldError message={fieldErrors().startingCash} />
              </label>
              <label class="field">
                <span>Tick (seconds)</span>
                <input
                  name="settingsTick"
                  type="number"
                  step="any"
                  min="0.25"
                  max="60"
                  value={tick()}
                  disabled={trading()}
                  onInput={(e) => setTick(e.currentTarget.value)}
                />
                <small class="muted">{trading() ? LOCKED : ""}</small>
                <FieldError message={fieldErrors().tickMs} />
              </label>
            </div>
            <RulesFields
              text={rules}
              set={(k, v) => setRules(k, v)}
              error={(k) => fieldErrors()[k]}
              lockedWhy={(k) => (trading() && !safeWhileTrading(k) ? LOCKED : undefined)}
            />
            <FormError message={error()} />
            <button type="submit" class="btn btn-primary" disabled={busy()}>
              {busy() ? "Saving…" : "Save rules"}
            </button>
          </form>
        </Show>
      </Show>
    </section>
  );
}
