import { Show } from "solid-js";

/** A form's error in plain words, announced to screen readers when it appears. */
export function FormError(props: { message: string | null | undefined }) {
  return (
    <Show when={props.message}>
      <p class="error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}

/** One field's problem, right under the field it is about. */
export function FieldError(props: { message: string | null | undefined }) {
  return (
    <Show when={props.message}>
      <small class="field-error" data-testid="field-error">
        {props.message}
      </small>
    </Show>
  );
}
