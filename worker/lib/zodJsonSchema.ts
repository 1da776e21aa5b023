/**
 * What the OpenAPI generator (hono-openapi, through @standard-community/standard-json)
 * takes from "zod/v4/core": only `toJSONSchema`. That module's index also re-exports every
 * zod locale, which put ~500 KiB back into the Worker bundle; wrangler.toml's [alias] maps
 * the import here instead (the same function, from the zod build the Worker already has).
 */
export { toJSONSchema } from "zod";
