/** The market rules as inputs: switches for on/off rules, numbers with their unit and bounds. */
import { For, Show } from "solid-js";
import { RULE_FIELDS, type RuleField, type RuleKey, type RulesText } from "../../lib/rulesForm";
import { FieldError } from "../FormError";
import { t } from "../../i18n";

export function RulesFields(props: {
  text: RulesText;
  set: (key: RuleKey, value: string) => void;
  error: (key: string) => string | undefined;
  /** Why a rule cannot change now (trading started), or undefined when it can. */
  lockedWhy?: (key: RuleKey) => string | undefined;
}) {
  const input = (f: RuleField) => {
    const locked = () => props.lockedWhy?.(f.key);
    return (
      <label class={f.kind === "bool" ? "field field-check" : "field"} title={locked() ?? f.help}>
        <Show when={f.kind === "bool"}>
          <input
            type="checkbox"
            name={`rule-${f.key}`}
            checked={props.text[f.key] === "on"}
            disabled={!!locked()}
            onChange={(e) => props.set(f.key, e.currentTarget.checked ? "on" : "")}
          />
        </Show>
        <span>{f.label}</span>
        <Show when={f.kind !== "bool"}>
          <input
            type="number"
            name={`rule-${f.key}`}
            inputmode={f.kind === "int" ? "numeric" : "decimal"}
            // Percent rules are fractions of any precision: "any", so the browser never
            // calls a value the server accepts invalid. Whole-number rules step by 1 from 1.
            step={f.kind === "int" ? "1" : "any"}
            min={f.min}
            max={f.max}
            placeholder={f.optional ? "no cap" : undefined}
            value={props.text[f.key]}
            disabled={!!locked()}
            aria-invalid={!!props.error(`rules.${f.key}`)}
            onInput={(e) => props.set(f.key, e.currentTarget.value)}
          />
        </Show>
        <small class="muted">{locked() ?? f.help}</small>
        <FieldError message={props.error(`rules.${f.key}`)} />
      </label>
    );
  };
  return (
    <>
      <div class="form-grid rules-grid">
        <For each={RULE_FIELDS.filter((f) => !f.advanced)}>{input}</For>
      </div>
      <details class="rules-advanced">
        <summary>{t("admin.rules.advanced")}</summary>
        <div class="form-grid rules-grid">
          <For each={RULE_FIELDS.filter((f) => f.advanced)}>{input}</For>
        </div>
      </details>
    </>
  );
}
