/**
 * The news script of a market being created: a timeline of items, each published by
 * itself a set time after the open. Items can be added, edited, moved up or down (which
 * swaps their times, so the list stays in time order) and removed.
 */
import { For, Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import { clockText, emptyImpact, parseClock, type ScriptRow } from "../../lib/scriptForm";
import { FieldError } from "../FormError";
import { ScriptItemFields } from "./ScriptItemFields";
import { t } from "../../i18n";

export function ScriptEditor(props: {
  rows: ScriptRow[];
  setRows: SetStoreFunction<ScriptRow[]>;
  symbols: string[];
  error: (key: string) => string | undefined;
}) {
  /** Swaps the times and the places of items i and j. */
  const swap = (i: number, j: number) => {
    const a = props.rows[i];
    const b = props.rows[j];
    props.setRows((list) => {
      const next = [...list];
      next[i] = { ...b, at: a.at };
      next[j] = { ...a, at: b.at };
      return next;
    });
  };
  const add = () => {
    const last = props.rows[props.rows.length - 1];
    const after = last ? parseClock(last.at) : Number.NaN;
    props.setRows(props.rows.length, {
      at: clockText(Number.isNaN(after) ? 60_000 : after + 60_000),
      headline: "",
      body: "",
      impacts: [emptyImpact(props.symbols[0] ?? "")],
    });
  };
  return (
    <section class="script-editor" aria-label={t("admin.script.label")}>
      <Show when={props.rows.length === 0}>
        <p class="muted">{t("admin.script.empty")}</p>
      </Show>
      <ol class="script-list">
        <For each={props.rows}>
          {(row, i) => (
            <li class="script-item" data-testid="script-item">
              <div class="script-item-head">
                <strong>{t("admin.script.item", { n: i() + 1 })}</strong>
                <span class="script-item-tools">
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-label={`Move item ${i() + 1} earlier`}
                    disabled={i() === 0}
                    onClick={() => swap(i(), i() - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-label={`Move item ${i() + 1} later`}
                    disabled={i() === props.rows.length - 1}
                    onClick={() => swap(i(), i() + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-label={t("admin.script.deleteItem", { n: i() + 1 })}
                    onClick={() => props.setRows((list) => list.filter((_, j) => j !== i()))}
                  >
                    {t("admin.script.delete")}
                  </button>
                </span>
              </div>
              <ScriptItemFields
                row={row}
                set={
                  ((...args: unknown[]) =>
                    (props.setRows as (...a: unknown[]) => void)(i(), ...args)) as SetStoreFunction<ScriptRow>
                }
                symbols={props.symbols}
                label={t("admin.script.item", { n: i() + 1 })}
              />
              <FieldError message={props.error(`news.${i()}`)} />
            </li>
          )}
        </For>
      </ol>
      <button type="button" class="btn btn-small" onClick={add}>
        {t("admin.script.add")}
      </button>
    </section>
  );
}
