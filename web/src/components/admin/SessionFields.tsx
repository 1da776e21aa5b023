/** The timed session's inputs: open by hand or at a time; close by hand, after a duration or at a time. */
import { Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import type { CloseMode, OpenMode, SessionFormValues } from "../../lib/sessionForm";
import { FieldError } from "../FormError";

export function SessionFields(props: {
  values: SessionFormValues;
  set: SetStoreFunction<SessionFormValues>;
  /** Once trading has started only the close can change. */
  trading?: boolean;
  error?: (field: "opensAt" | "closesAt" | "durationMs") => string | undefined;
}) {
  const v = () => props.values;
  return (
    <fieldset class="session-fields">
      <legend>Timed session</legend>
      <div class="form-grid">
        <Show when={!props.trading}>
          <label class="field">
            <span>Opens</span>
            <select
              name="openMode"
              value={v().openMode}
              onChange={(e) => props.set("openMode", e.currentTarget.value as OpenMode)}
            >
              <option value="manual">When I press Open</option>
              <option value="at">At a set time</option>
            </select>
          </label>
          <Show when={v().openMode === "at"}>
            <label class="field">
              <span>Opening time</span>
              <input
                name="opensAt"
                type="datetime-local"
                step="1"
                value={v().opensAt}
                onInput={(e) => props.set("opensAt", e.currentTarget.value)}
                aria-invalid={!!props.error?.("opensAt")}
              />
              <FieldError message={props.error?.("opensAt")} />
            </label>
          </Show>
        </Show>
        <label class="field">
          <span>Closes</span>
          <select
            name="closeMode"
            value={v().closeMode}
            onChange={(e) => props.set("closeMode", e.currentTarget.value as CloseMode)}
          >
            <option value="manual">When I press Close</option>
            <option value="after">{props.trading ? "After … minutes from now" : "After … minutes of trading"}</option>
            <option value="at">At a set time</option>
          </select>
        </label>
        <Show when={v().closeMode === "after"}>
          <label class="field">
            <span>Minutes of trading</span>
            <input
              name="durationMinutes"
              type="number"
              inputmode="decimal"
              min="0.17"
              step="any"
              value={v().minutes}
              onInput={(e) => props.set("minutes", e.currentTarget.value)}
              aria-invalid={!!props.error?.("durationMs")}
            />
            <FieldError message={props.error?.("durationMs")} />
          </label>
        </Show>
        <Show when={v().closeMode === "at"}>
          <label class="field">
            <span>Closing time</span>
            <input
              name="closesAt"
              type="datetime-local"
              step="1"
              value={v().closesAt}
              onInput={(e) => props.set("closesAt", e.currentTarget.value)}
              aria-invalid={!!props.error?.("closesAt")}
            />
            <FieldError message={props.error?.("closesAt")} />
          </label>
        </Show>
      </div>
    </fieldset>
  );
}
