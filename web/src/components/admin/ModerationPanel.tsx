/**
 * The market's name rules in the console: blocked names (a name and its look-alikes can
 * no longer join) and the words that may not appear in a name, one per line.
 */
import { For, Show, createResource, createSignal } from "solid-js";
import { adminApi, plainError } from "../../lib/api";
import { toast } from "../Toasts";

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

export function ModerationPanel(props: { code: string; token: string; version: number }) {
  // Read again whenever a player is removed and blocked from the players table (version).
  const [answer, { mutate }] = createResource(
    () => props.version + 1,
    () => adminApi.moderation(props.token, props.code),
  );
  const [words, setWords] = createSignal<string | null>(null);
  const [block, setBlock] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const wordsText = () => words() ?? answer()?.moderation.bannedWords.join("\n") ?? "";

  async function save(body: { blockedNames?: string[]; bannedWords?: string[] }, done: string) {
    setBusy(true);
    setError("");
    try {
      const next = await adminApi.setModeration(props.token, props.code, body);
      mutate(next);
      setWords(null);
      toast({ kind: "info", title: done });
      return true;
    } catch (e) {
      setError(plainError(e, "admin"));
      return false;
    } finally {
      setBusy(false);
    }
  }
  const blocked = () => answer()?.moderation.blockedNames ?? [];

  return (
    <section class="card" aria-labelledby="mod-h">
      <h2 id="mod-h">Names</h2>
      <p class="muted">
        Applies to new players and renames. A blocked name also refuses its look-alikes ("B0b", "BOB").
      </p>
      <h3>Blocked names</h3>
      <Show when={blocked().length} fallback={<p class="muted">No names blocked.</p>}>
        <ul class="chips" aria-label="Blocked names">
          <For each={blocked()}>
            {(n) => (
              <li>
                {n}{" "}
                <button
                  type="button"
                  class="link"
                  aria-label={`Unblock ${n}`}
                  disabled={busy()}
                  onClick={() => save({ blockedNames: blocked().filter((b) => b !== n) }, `${n} unblocked`)}
                >
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const n = block().trim();
          if (n && (await save({ blockedNames: [...blocked(), n] }, `${n} blocked`))) setBlock("");
        }}
      >
        <input
          aria-label="Name to block"
          value={block()}
          maxlength={24}
          onInput={(e) => setBlock(e.currentTarget.value)}
        />
        <button type="submit" class="btn btn-small" disabled={busy()}>
          Block name
        </button>
      </form>
      <h3>Words not allowed in names</h3>
      <label class="field">
        <span>One per line; a * at an end also matches inside longer words ("*word*")</span>
        <textarea name="bannedWords" rows={6} value={wordsText()} onInput={(e) => setWords(e.currentTarget.value)} />
      </label>
      <div class="btn-row">
        <button
          type="button"
          class="btn btn-small btn-primary"
          disabled={busy() || words() === null}
          onClick={() => save({ bannedWords: lines(wordsText()) }, "Word filter saved")}
        >
          Save words
        </button>
        <button
          type="button"
          class="btn btn-small"
          disabled={busy() || !answer()}
          onClick={() => save({ bannedWords: answer()!.defaultBannedWords }, "Word filter reset to the default list")}
        >
          Reset to the default list
        </button>
      </div>
      <Show when={error() || answer.error}>
        <p class="error" role="alert">
          {error() || plainError(answer.error, "admin")}
        </p>
      </Show>
    </section>
  );
}
