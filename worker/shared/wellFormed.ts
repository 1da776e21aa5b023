/**
 * Whether a string is well-formed UTF-16, i.e. has no lone surrogate half.
 *
 * JSON lets a client send "\ud800", which JavaScript keeps as a lone surrogate. SQLite
 * stores text as UTF-8, where a lone surrogate has no encoding: it comes back as U+FFFD
 * replacement characters, so what was stored is not what was checked (a name that was
 * unique in memory can collide after a reload). Every text that comes in is refused
 * unless it is well-formed. (String.prototype.isWellFormed is ES2024; this is the same
 * test for the ES2023 library the project compiles against: with the `u` flag a regex
 * sees surrogate pairs as one code point, so \p{Cs} only matches halves on their own.)
 */
const LONE_SURROGATE = /\p{Cs}/u;

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

export const NOT_WELL_FORMED = "must be well-formed Unicode text (it has a lone surrogate half)";
