/**
 * dev/node.mjs decides whether `npm start` and `npm test` must run `npm ci` first: on a
 * fresh clone, and after a pull that moved a version, but not after a checkout that only
 * touched package-lock.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installProblem } from "../../../dev/node.mjs";

let dir: string;
const lock = (packages: Record<string, { version: string; optional?: boolean }>) =>
  JSON.stringify({ name: "x", lockfileVersion: 3, packages: { "": { name: "x" }, ...packages } });

/** Writes package-lock.json and npm's record of the install, the lock `lockAge` ms newer. */
function project(wanted: string, installed: string | null, lockAge = 0): void {
  writeFileSync(join(dir, "package-lock.json"), wanted);
  if (installed === null) return;
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  writeFileSync(join(dir, "node_modules", ".package-lock.json"), installed);
  const t = Date.now() / 1000 - 60;
  utimesSync(join(dir, "node_modules", ".package-lock.json"), t, t);
  utimesSync(join(dir, "package-lock.json"), t + lockAge / 1000, t + lockAge / 1000);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "marketflow-install-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("whether the dependencies need installing", () => {
  it("a fresh clone has no node_modules", () => {
    project(lock({}), null);
    expect(installProblem(dir)).toBe("node_modules is missing");
  });

  it("node_modules without npm's record of it is reinstalled", () => {
    project(lock({}), null);
    mkdirSync(join(dir, "node_modules"));
    expect(installProblem(dir)).toBe("node_modules has no npm record of it");
  });

  it("an install newer than the lock is used as it is", () => {
    project(lock({ "node_modules/a": { version: "2.0.0" } }), lock({ "node_modules/a": { version: "1.0.0" } }), -5000);
    expect(installProblem(dir)).toBeNull();
  });

  it("a lock that moved a version since the install asks for one", () => {
    project(lock({ "node_modules/a": { version: "2.0.0" } }), lock({ "node_modules/a": { version: "1.0.0" } }), 5000);
    expect(installProblem(dir)).toBe("package-lock.json wants a 2.0.0, node_modules has 1.0.0");
    project(lock({ "node_modules/@s/b": { version: "1.0.0" } }), lock({}), 5000);
    expect(installProblem(dir)).toBe("package-lock.json wants @s/b 1.0.0, node_modules has none");
  });

  it("a lock only touched since the install (a checkout) is fine, and is not compared again", () => {
    const same = {
      "node_modules/a": { version: "1.0.0" },
      "node_modules/other-os": { version: "1.0.0", optional: true },
    };
    project(lock(same), lock({ "node_modules/a": { version: "1.0.0" } }), 5000);
    expect(installProblem(dir)).toBeNull();
    const record = statSync(join(dir, "node_modules", ".package-lock.json")).mtimeMs;
    expect(record).toBeGreaterThanOrEqual(statSync(join(dir, "package-lock.json")).mtimeMs);
  });
});
