import { flatten, resolveTemplate, translator } from "@solid-primitives/i18n";
import { en } from "./en";

/**
 * The shape every language follows: English is the reference, so a translation typed
 * `Dictionary` that misses a key, or adds one, is a type error naming the key.
 */
export type Dictionary = typeof en;

/**
 * The dictionary in use. There is one language for now; when there are more, this becomes
 * a signal chosen from the browser's language, and `t` reads it on every call, so Solid
 * updates the text in place.
 */
const dictionary = flatten(en);

/**
 * `t("landing.joinHeading")` for plain text, `t("conn.retryIn", { seconds: 3 })` for a
 * `{{ seconds }}` template; entries that are functions (plurals) are called with their arguments.
 */
export const t = translator(() => dictionary, resolveTemplate);
