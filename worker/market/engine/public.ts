/**
 * What the web app may use from the engine: the fill estimate the order ticket shows and
 * the rules a market has when it sets none. The engine's index would pull the whole
 * engine into the player's bundle; this entry point brings only the pure pricing maths
 * and a few constants, and the rest of the engine can change without touching web/.
 * test/node/web/importBoundary.test.ts keeps web/src to this module and shared/messages.ts.
 */
export { estimateExecution } from "./pricing.ts";
export { DEFAULT_RULES } from "./types.ts";
export { RULES_SAFE_WHILE_TRADING } from "./safeRules.ts";
