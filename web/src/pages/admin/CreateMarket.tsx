/** The create-market form: settings, a template's stocks (every cell editable), and the server's verdict per field. */
import { useNavigate } from "@solidjs/router";
import { For, createSignal } from "solid-js";
import { createStore } from "solid-js/store";
import { FieldError, FormError } from "../../components/FormError";
import { toast } from "../../components/Toasts";
import { StockRowsEditor } from "../../components/admin/StockRowsEditor";
import { TeamsFields } from "../../components/admin/TeamsFields";
import { adminApi, plainError } from "../../lib/api";
import type { TeamAssign } from "../../../../worker/shared/protocol";
import { currencySymbol } from "../../lib/format";
import {
  MONEY_FORMATS,
  moneyFormatOf,
  type FieldErrors,
  type SymbolRow,
  createMarketBody,
  emptyRow,
  fieldErrorsOf,
  toRow,
} from "../../lib/marketForm";
import { TEMPLATES } from "../../lib/templates";

export function CreateMarket(props: { token: string }) {
  const navigate = useNavigate();
  const [name, setName] = createSignal("Trading Night");
  const [code, setCode] = createSignal("");
  const [cash, setCash] = createSignal("10000");
  const [tick, setTick] = createSignal("2");
  const [moneyFormat, setMoneyFormat] = createSignal(MONEY_FORMATS[0].id);
  const [teamsOn, setTeamsOn] = createSignal(false);
  const [teamNames, setTeamNames] = createSignal("Bulls\nBears");
  const [teamAssign, setTeamAssign] = createSignal<TeamAssign>("choose");
  const [rows, setRows] = createStore<SymbolRow[]>(TEMPLATES[0].symbols.map(toRow));
  const [error, setError] = createSignal("");
  const [fieldErrors, setFieldErrors] = createSignal<FieldErrors>({});
  const [busy, setBusy] = createSignal(false);
  const fe = (key: string) => fieldErrors()[key];

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const body = createMarketBody({
      name: name(),
      code: code(),
      cash: cash(),
      tickSeconds: tick(),
      rows,
      moneyFormat: moneyFormat(),
      teams: teamsOn() ? { names: teamNames(), assign: teamAssign() } : null,
    });
    setBusy(true);
    setError("");
    setFieldErrors({});
    try {
      const market = await adminApi.createMarket(props.token, body);
      toast({ kind: "info", title: `Market ${market.code} created` });
      navigate(`/admin/${market.code}`);
    } catch (err) {
      const byField = fieldErrorsOf(err);
      setFieldErrors(byField);
      const n = Object.keys(byField).length;
      setError(
        n
          ? `The market was not created: ${n === 1 ? "one field needs" : `${n} fields need`} a fix, marked below.`
          : plainError(err, "admin"),
      );
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
          <input
            name="marketName"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            maxlength={80}
            aria-invalid={!!fe("name")}
          />
          <FieldError message={fe("name")} />
        </label>
        <label class="field">
          <span>Code (optional, 4-12 letters/digits)</span>
          <input
            name="marketCode"
            class="code-input"
            value={code()}
            maxlength={12}
            onInput={(e) => setCode(e.currentTarget.value.toUpperCase())}
            aria-invalid={!!fe("code")}
          />
          <FieldError message={fe("code")} />
        </label>
        <label class="field">
          <span>Starting cash ({currencySymbol(moneyFormatOf(moneyFormat()))})</span>
          <input
            name="startingCash"
            type="number"
            inputmode="decimal"
            min="0.01"
            max="10000000000"
            step="0.01"
            value={cash()}
            onInput={(e) => setCash(e.currentTarget.value)}
            aria-invalid={!!fe("startingCash")}
          />
          <FieldError message={fe("startingCash")} />
        </label>
        <label class="field">
          <span>Tick (seconds)</span>
          <input
            name="tick"
            type="number"
            inputmode="decimal"
            min="0.25"
            max="60"
            step="0.001"
            value={tick()}
            onInput={(e) => setTick(e.currentTarget.value)}
            aria-invalid={!!fe("tickMs")}
          />
          <FieldError message={fe("tickMs")} />
        </label>
        <label class="field">
          <span>Currency and number format</span>
          <select name="moneyFormat" value={moneyFormat()} onChange={(e) => setMoneyFormat(e.currentTarget.value)}>
            <For each={MONEY_FORMATS}>{(f) => <option value={f.id}>{f.label}</option>}</For>
          </select>
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
      <TeamsFields
        enabled={teamsOn()}
        setEnabled={setTeamsOn}
        names={teamNames()}
        setNames={setTeamNames}
        assign={teamAssign()}
        setAssign={setTeamAssign}
        error={fe("teams.names") ?? fe("teams")}
      />
      <StockRowsEditor rows={rows} setRows={setRows} error={(k) => fe(k)} />
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
