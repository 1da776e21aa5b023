/**
 * Where a new market's setup comes from: a built-in scenario, or a scenario file the
 * organiser imports. A file is checked by the server first (POST /api/scenarios/check):
 * a broken one is named field by field and the form is left as it was; nothing is created.
 */
import { For, Show, createSignal } from "solid-js";
import { ApiError, adminApi, type CheckedScenario, plainError } from "../../lib/api";
import { BUILT_IN_SCENARIOS } from "../../lib/scenarios";
import { FormError } from "../FormError";

/** A scenario file's problems in the words of its fields (`market.symbols.2.price: ...`). */
export function scenarioFileError(err: unknown): string {
  if (err instanceof ApiError && err.code === "VALIDATION" && Array.isArray(err.details)) {
    const lines = (err.details as { field?: string; message?: string }[]).map(
      (d) => `${d.field || "the file"}: ${d.message ?? "not valid"}`,
    );
    return `This file is not a valid scenario, so nothing was loaded or created. ${lines.slice(0, 5).join("; ")}${lines.length > 5 ? `; and ${lines.length - 5} more` : ""}.`;
  }
  if (err instanceof ApiError && err.code === "PAYLOAD_TOO_LARGE") return "This file is too large for a scenario.";
  return plainError(err, "admin");
}

export function ScenarioPicker(props: {
  token: string;
  /** Loads a scenario into the form; `id` is the built-in's id, or "file" for an import. */
  load: (scenario: CheckedScenario | (typeof BUILT_IN_SCENARIOS)[number]["file"], id: string) => void;
  description: string;
}) {
  const [chosen, setChosen] = createSignal(BUILT_IN_SCENARIOS[0].id);
  const [imported, setImported] = createSignal<string | null>(null);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  async function importFile(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    setError("");
    setBusy(true);
    try {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch (e) {
        setError(`${file.name} is not a JSON file (${(e as Error).message}), so nothing was loaded or created.`);
        return;
      }
      const scenario = await adminApi.checkScenario(props.token, json);
      setImported(scenario.title);
      setChosen("file");
      props.load(scenario, "file");
    } catch (err) {
      setError(scenarioFileError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="scenario-picker">
      <div class="form-grid">
        <label class="field">
          <span>Scenario</span>
          <select
            name="scenario"
            aria-label="Scenario"
            value={chosen()}
            onChange={(e) => {
              const s = BUILT_IN_SCENARIOS.find((x) => x.id === e.currentTarget.value);
              if (!s) return;
              setChosen(s.id);
              setError("");
              props.load(s.file, s.id);
            }}
          >
            <For each={BUILT_IN_SCENARIOS}>{(s) => <option value={s.id}>{s.label}</option>}</For>
            <Show when={imported()}>
              <option value="file">Imported: {imported()}</option>
            </Show>
          </select>
        </label>
        <label class="field">
          <span>Or import a scenario file (.json)</span>
          <input
            type="file"
            name="scenarioFile"
            accept="application/json,.json"
            disabled={busy()}
            onChange={(e) => void importFile(e.currentTarget)}
          />
        </label>
      </div>
      <p class="muted scenario-description">{props.description}</p>
      <FormError message={error()} />
    </div>
  );
}
