/** One news script item's inputs: time after the open, headline, text and impacts. */
import { For, Index } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import { emptyImpact, type ScriptRow } from "../../lib/scriptForm";

export function ScriptItemFields(props: {
  row: ScriptRow;
  /** Sets a field of this row (a path into the row, as solid's store setter takes it). */
  set: SetStoreFunction<ScriptRow>;
  symbols: string[];
  /** A label prefix so each item's inputs have their own accessible names ("Item 3"). */
  label: string;
}) {
  return (
    <div class="script-fields">
      <div class="script-line">
        <label class="field script-at">
          <span>Time after the open (m:ss)</span>
          <input
            aria-label={`${props.label} time after the open`}
            value={props.row.at}
            inputmode="numeric"
            placeholder="5:00"
            onInput={(e) => props.set("at", e.currentTarget.value)}
          />
        </label>
        <label class="field script-headline">
          <span>Headline</span>
          <input
            aria-label={`${props.label} headline`}
            value={props.row.headline}
            maxlength={140}
            onInput={(e) => props.set("headline", e.currentTarget.value)}
          />
        </label>
      </div>
      <label class="field">
        <span>Text (optional)</span>
        <textarea
          aria-label={`${props.label} text`}
          rows={2}
          maxlength={2000}
          value={props.row.body}
          onInput={(e) => props.set("body", e.currentTarget.value)}
        />
      </label>
      <fieldset class="script-impacts">
        <legend>Moves</legend>
        <Index each={props.row.impacts}>
          {(impact, j) => (
            <div class="impact-row">
              <select
                aria-label={`${props.label} impact ${j + 1} stock`}
                value={impact().symbol}
                onChange={(e) => props.set("impacts", j, "symbol", e.currentTarget.value)}
              >
                <For
                  each={props.symbols.includes(impact().symbol) ? props.symbols : [impact().symbol, ...props.symbols]}
                >
                  {(s) => <option value={s}>{s}</option>}
                </For>
              </select>
              <input
                aria-label={`${props.label} impact ${j + 1} move %`}
                type="number"
                step="any"
                min="-90"
                max="500"
                value={impact().move}
                onInput={(e) => props.set("impacts", j, "move", e.currentTarget.value)}
              />
              <span class="muted">% over</span>
              <input
                aria-label={`${props.label} impact ${j + 1} ticks`}
                type="number"
                step="1"
                min="1"
                max="1000"
                value={impact().ticks}
                onInput={(e) => props.set("impacts", j, "ticks", e.currentTarget.value)}
              />
              <span class="muted">ticks</span>
              <button
                type="button"
                class="btn btn-small"
                aria-label={`${props.label} remove impact ${j + 1}`}
                onClick={() => props.set("impacts", (list) => list.filter((_, k) => k !== j))}
              >
                ×
              </button>
            </div>
          )}
        </Index>
        <button
          type="button"
          class="btn btn-small"
          onClick={() => props.set("impacts", props.row.impacts.length, emptyImpact(props.symbols[0] ?? ""))}
        >
          + Add a move
        </button>
      </fieldset>
    </div>
  );
}
