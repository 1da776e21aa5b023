/**
 * The create-market form: a scenario (built in or imported) fills every field, and every
 * field stays editable: the settings, the rules, the stocks and the news script. The
 * server's zod schema decides, and its verdict is shown under the field it is about.
 */
import { useNavigate } from "@solidjs/router";
import { For, createSignal } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { FieldError, FormError } from "../../components/FormError";
import { toast } from "../../components/Toasts";
import { SessionFields } from "../../components/admin/SessionFields";
import { RulesFields } from "../../components/admin/RulesFields";
import { ScenarioPicker } from "../../components/admin/ScenarioPicker";
import { ScriptEditor } from "../../components/admin/ScriptEditor";
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
import { formOf, manualSession, sessionBody, sessionFormProblem } from "../../lib/sessionForm";
import { decimalText } from "../../lib/numberText";
import { type RulesText, rulesText } from "../../lib/rulesForm";
import { BUILT_IN_SCENARIOS, offsetMsOf } from "../../lib/scenarios";
import { type ScriptRow, scriptRowOf } from "../../lib/scriptForm";
import type { ScenarioFile } from "../../../../worker/shared/scenario";

export function CreateMarket(props: { token: string }) {
  const navigate = useNavigate();
  const [name, setName] = createSignal("");
  const [code, setCode] = createSignal("");
  const [cash, setCash] = createSignal("");
  const [tick, setTick] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [extra, setExtra] = createSignal<Record<string, unknown>>({});
  const [rows, setRows] = createStore<SymbolRow[]>([]);
  const [rules, setRules] = createStore<RulesText>(rulesText());
  const [script, setScript] = createStore<ScriptRow[]>([]);
  const [session, setSession] = createStore(manualSession());
  const [moneyFormat, setMoneyFormat] = createSignal(MONEY_FORMATS[0].id);
  const [teamsOn, setTeamsOn] = createSignal(false);
  const [teamNames, setTeamNames] = createSignal("Bulls\nBears");
  const [teamAssign, setTeamAssign] = createSignal<TeamAssign>("choose");
  const [error, setError] = createSignal("");
  const [fieldErrors, setFieldErrors] = createSignal<FieldErrors>({});
  const [busy, setBusy] = createSignal(false);
  const fe = (key: string) => fieldErrors()[key];

  /** Fills every field from a scenario; fields the form has no input for ride along unchanged. */
  function load(s: Pick<ScenarioFile, "market" | "description" | "title"> & { news?: ScenarioFile["news"] }) {
    const { name: n, startingCash, tickMs, rules: r, symbols, teams, session: length, ...rest } = s.market;
    // A scenario brings the game's length; when it opens is the organiser's choice.
    setSession(
      reconcile(formOf(length ? { opensAt: null, closesAt: null, durationMs: length.durationMs } : undefined)),
    );
    const format = MONEY_FORMATS.find(
      (f) => f.spec.currency === (r?.currency ?? "USD") && (!r?.locale || f.spec.locale === r.locale),
    );
    setMoneyFormat((format ?? MONEY_FORMATS[0]).id);
    setTeamsOn(!!teams);
    if (teams) {
      setTeamNames(teams.names.join("\n"));
      setTeamAssign(teams.assign);
    }
    setName(n);
    setCash(String(startingCash));
    setTick(decimalText((tickMs ?? 2000) / 1000));
    setRules(reconcile(rulesText(r ?? {})));
    setRows(reconcile(symbols.map(toRow)));
    setScript(reconcile((s.news ?? []).map((item) => scriptRowOf({ ...item, afterOpenMs: offsetMsOf(item) }))));
    setExtra(rest);
    setDescription(s.description ?? s.title);
    setFieldErrors({});
    setError("");
  }
  load(BUILT_IN_SCENARIOS[0].file);

  /** A stock removed from the market takes its news moves with it (the script would be refused). */
  function dropMovesOn(symbol: string) {
    const sym = symbol.trim().toUpperCase();
    if (!sym || rows.some((r) => r.symbol.trim().toUpperCase() === sym)) return;
    const dropped = script.reduce((n, item) => n + item.impacts.filter((i) => i.symbol === sym).length, 0);
    if (dropped === 0) return;
    setScript(reconcile(script.map((item) => ({ ...item, impacts: item.impacts.filter((i) => i.symbol !== sym) }))));
    toast({ kind: "info", title: `Removed ${dropped} news move${dropped === 1 ? "" : "s"} on ${sym}` });
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const problem = sessionFormProblem(session);
    if (problem) return setError(`The market was not created: ${problem}`);
    const body = {
      ...createMarketBody({
        name: name(),
        code: code(),
        cash: cash(),
        tickSeconds: tick(),
        rows,
        rules,
        script,
        extra: extra(),
        moneyFormat: moneyFormat(),
        teams: teamsOn() ? { names: teamNames(), assign: teamAssign() } : null,
      }),
      session: sessionBody(session),
    };
    setBusy(true);
    setError("");
    setFieldErrors({});
    try {
      const market = await adminApi.createMarket(props.token, body);
      toast({ kind: "info", title: `Market ${market.code} created` });
      navigate(`/admin/${market.code}`);
    } catch (err) {
      const byField = fieldErrorsOf(err, moneyFormatOf(moneyFormat()));
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
      <ScenarioPicker token={props.token} load={load} description={description()} />
      <h3>Settings</h3>
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
            step="any"
            value={tick()}
            onInput={(e) => setTick(e.currentTarget.value)}
            aria-invalid={!!fe("tickMs")}
          />
          <FieldError message={fe("tickMs")} />
        </label>
        <label class="field field-money">
          <span>Currency and number format</span>
          <select name="moneyFormat" value={moneyFormat()} onChange={(e) => setMoneyFormat(e.currentTarget.value)}>
            <For each={MONEY_FORMATS}>{(f) => <option value={f.id}>{f.label}</option>}</For>
          </select>
        </label>
      </div>
      <SessionFields values={session} set={setSession} error={(k) => fe(`session.${k}`)} />
      <TeamsFields
        enabled={teamsOn()}
        setEnabled={setTeamsOn}
        names={teamNames()}
        setNames={setTeamNames}
        assign={teamAssign()}
        setAssign={setTeamAssign}
        error={fe("teams.names") ?? fe("teams")}
      />
      <h3>Rules</h3>
      <RulesFields text={rules} set={(k, v) => setRules(k, v)} error={fe} />
      <h3>Stocks</h3>
      <StockRowsEditor
        rows={rows}
        setRows={setRows}
        error={(k) => fe(k)}
        onRemove={dropMovesOn}
        currency={currencySymbol(moneyFormatOf(moneyFormat()))}
      />
      <FieldError message={fe("symbols")} />
      <p>
        <button type="button" class="btn btn-small" onClick={() => setRows(rows.length, emptyRow())}>
          + Add a stock
        </button>
      </p>
      <h3>News script</h3>
      <ScriptEditor rows={script} setRows={setScript} symbols={rows.map((r) => r.symbol).filter(Boolean)} error={fe} />
      <FormError message={error()} />
      <button type="submit" class="btn btn-primary" disabled={busy()}>
        {busy() ? "Creating…" : "Create market"}
      </button>
    </form>
  );
}
