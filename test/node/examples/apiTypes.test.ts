// The typed client's types (examples/ts/api.d.ts) are what openapi-typescript makes of
// docs/openapi.json today, and docs/openapi.json is the Worker's own document
// (test/workerd/routes/apiDocs.test.ts), so the client cannot drift from the server.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiTypes, TYPES_PATH } from "../../../dev/api-types.mjs";

describe("examples/ts/api.d.ts", () => {
  it("is generated from docs/openapi.json as it is now (npm run api:types)", async () => {
    const committed = readFileSync(TYPES_PATH, "utf8");
    expect(committed === (await apiTypes()), "examples/ts/api.d.ts is stale: run `npm run api:types`").toBe(true);
  });
});
