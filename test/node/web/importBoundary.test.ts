/**
 * The web app's boundary with the Worker: web/src may take values only from the plain
 * protocol module and the engine's public entry point, and types from the zod input
 * schemas (erased by the bundler). Anything else couples the player's screen to Worker
 * internals or drags zod into its bundle.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const WEB_SRC = join(ROOT, "web/src");

/** Worker modules web/src may import values from. */
const VALUE_MODULES = ["worker/shared/messages.ts", "worker/shared/lifecycle.ts", "worker/market/engine/public.ts"];
/** Worker modules web/src may import only with `import type` (zod schemas: types are erased, values are not). */
const TYPE_ONLY_MODULES = ["worker/shared/protocol.ts", "worker/shared/scenario.ts"];
/**
 * Imports not yet moved to the entry points, in files another change is rewriting.
 * Each entry is "importing file -> imported module"; remove it when the import goes.
 */
const PENDING: string[] = [];

interface ImportRef {
  specifier: string;
  /** Erased at build time: `import type`, `export type`, or `import("...")` in a type position. */
  typeOnly: boolean;
}

/** Every module specifier a source file refers to: static imports, re-exports, dynamic imports, import types. */
function importsOf(fileName: string, text: string): ImportRef[] {
  const key = `${fileName}\0${text}`;
  const known = parsed.get(key);
  if (known) return known;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest);
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly === true });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      refs.push({ specifier: node.argument.literal.text, typeOnly: true });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      refs.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  parsed.set(key, refs);
  return refs;
}
const parsed = new Map<string, ImportRef[]>();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Stylesheets and other assets: the bundler handles them, they import no code. */
const isAsset = (specifier: string) => /\.(css|svg|png|jpe?g|webp|woff2?)$/.test(specifier);

/** The file a relative specifier names, with the extension the bundler would try. */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${specifier}`);
}

const rel = (file: string) => relative(ROOT, file).split("\\").join("/");
const isRelative = (specifier: string) => specifier.startsWith(".");

/** Imports from web/src into worker/ that break the boundary, as "file -> module (why)". */
function boundaryViolations(files: { file: string; text: string }[]): string[] {
  const violations: string[] = [];
  for (const { file, text } of files) {
    for (const ref of importsOf(file, text)) {
      if (!isRelative(ref.specifier) || isAsset(ref.specifier)) continue;
      const target = rel(resolveRelative(file, ref.specifier));
      if (!target.startsWith("worker/")) continue;
      if (VALUE_MODULES.includes(target)) continue;
      if (TYPE_ONLY_MODULES.includes(target)) {
        if (!ref.typeOnly) violations.push(`${rel(file)} -> ${target} (values from it bring zod; use import type)`);
        continue;
      }
      violations.push(`${rel(file)} -> ${target} (not an entry point for the web app)`);
    }
  }
  return violations;
}

/**
 * Worker modules the web bundle would contain: everything reached from web/src through
 * value imports, with the packages each of them imports.
 */
function workerModulesInBundle(entryFiles: string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue = [...entryFiles];
  const seen = new Set<string>(queue);
  while (queue.length) {
    const file = queue.shift()!;
    const packages: string[] = [];
    for (const ref of importsOf(file, readFileSync(file, "utf8"))) {
      if (ref.typeOnly || isAsset(ref.specifier)) continue;
      if (!isRelative(ref.specifier)) {
        packages.push(ref.specifier);
        continue;
      }
      const target = resolveRelative(file, ref.specifier);
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
    if (rel(file).startsWith("worker/")) reached.set(rel(file), packages);
  }
  return reached;
}

const webFiles = () => sourceFiles(WEB_SRC).map((file) => ({ file, text: readFileSync(file, "utf8") }));

describe("the import scanner", () => {
  it("sees static, type-only, re-exported and dynamic imports", () => {
    const refs = importsOf(
      "x.ts",
      [
        'import { a } from "./a";',
        'import type { B } from "./b";',
        'import { type C } from "./c";',
        'export { d } from "./d";',
        'export type { E } from "./e";',
        'const f = () => import("./f");',
        'let g: import("./g").G;',
      ].join("\n"),
    );
    expect(refs).toEqual([
      { specifier: "./a", typeOnly: false },
      { specifier: "./b", typeOnly: true },
      // Only a declaration-level `import type` is certain to vanish from the bundle.
      { specifier: "./c", typeOnly: false },
      { specifier: "./d", typeOnly: false },
      { specifier: "./e", typeOnly: true },
      { specifier: "./f", typeOnly: false },
      { specifier: "./g", typeOnly: true },
    ]);
  });

  it("flags an engine internal, a value from the zod schemas, and lets the entry points through", () => {
    const file = join(WEB_SRC, "lib/example.ts");
    const violations = boundaryViolations([
      {
        file,
        text: [
          'import { estimateExecution } from "../../../worker/market/engine/pricing";',
          'import { CloseCode } from "../../../worker/shared/protocol";',
          'import type { OrderInput } from "../../../worker/shared/protocol";',
          'import { CloseCode as C } from "../../../worker/shared/messages";',
          'import { DEFAULT_RULES } from "../../../worker/market/engine/public";',
        ].join("\n"),
      },
    ]);
    expect(violations).toEqual([
      "web/src/lib/example.ts -> worker/market/engine/pricing.ts (not an entry point for the web app)",
      "web/src/lib/example.ts -> worker/shared/protocol.ts (values from it bring zod; use import type)",
    ]);
  });
});

describe("the web app's imports from worker/", () => {
  it("take values only from worker/shared/messages.ts and worker/market/engine/public.ts, types also from protocol.ts", () => {
    const files = webFiles();
    expect(files.length).toBeGreaterThan(10);
    const violations = boundaryViolations(files);
    expect(violations.filter((v) => !PENDING.some((p) => v.startsWith(`${p} `)))).toEqual([]);
  });

  it("has no pending exception that is already fixed", () => {
    const violations = boundaryViolations(webFiles());
    for (const p of PENDING)
      expect(
        violations.some((v) => v.startsWith(`${p} `)),
        `${p} no longer happens: drop it from PENDING`,
      ).toBe(true);
  });

  it("bring no package into the web bundle from worker/ (no zod, no hono)", () => {
    const reached = workerModulesInBundle(sourceFiles(WEB_SRC));
    expect([...reached.keys()]).toEqual(expect.arrayContaining(VALUE_MODULES));
    const withPackages = [...reached].filter(([, packages]) => packages.length > 0);
    expect(withPackages).toEqual([]);
  });
});
