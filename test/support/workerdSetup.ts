// Set up before every workerd test file (vitest.config.ts): the markets read a clock the
// test steps, so no test waits for time to pass or depends on an idle machine.
import { afterEach, beforeEach } from "vitest";
import { setLogLevel } from "../../worker/lib/log";
import { installManualClock, uninstallManualClock } from "./clock";

// One info line per request would bury a failing test's output under thousands of them;
// warnings and errors still show. test/workerd/routes/logging.test.ts turns info back on.
setLogLevel("warn");

beforeEach(() => {
  installManualClock();
});
afterEach(() => uninstallManualClock());
