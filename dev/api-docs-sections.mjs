#!/usr/bin/env node
/**
 * What docs/API.md lacks against docs/openapi.json (run `npx vitest run --project workers
 * test/workerd/routes/apiDocs.test.ts -u` first to refresh that file): prints a section
 * for each operation the guide has no heading for, and the corrected status line of each
 * heading whose line no longer matches, to paste and then describe in words.
 *
 *   node dev/api-docs-sections.mjs
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./node.mjs";

const doc = JSON.parse(readFileSync(join(root, "docs/openapi.json"), "utf8"));
const guide = readFileSync(join(root, "docs/API.md"), "utf8");
const errorsSource = readFileSync(join(root, "worker/lib/errors.ts"), "utf8");
const codes = [...errorsSource.slice(errorsSource.indexOf("STATUS_OF")).matchAll(/^\s+([A-Z_]+):\s*\d{3}/gm)].map(
  (m) => m[1],
);

const line = (op) => {
  const caller = op.security?.length ? Object.keys(op.security[0])[0] : "anyone";
  const statuses = Object.entries(op.responses).map(([status, r]) => {
    const named = new Set(r.description.match(/\b[A-Z][A-Z_]+\b/g) ?? []);
    return [status, ...codes.filter((c) => named.has(c)).sort()].join(" ");
  });
  return `\`${op.operationId}\` · ${caller} · ${statuses.join(" · ")}`;
};

for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item)) {
    const heading = `#### \`${method.toUpperCase()} ${path}\``;
    const at = guide.indexOf(`${heading}\n`);
    if (at < 0) {
      console.log(`${heading}\n\n${line(op)}\n\n${op.summary ?? ""}\n`);
      continue;
    }
    const current = guide.slice(at + heading.length + 2).split("\n")[0];
    if (current !== line(op)) console.log(`${heading}: the line should read\n${line(op)}\n`);
  }
}
