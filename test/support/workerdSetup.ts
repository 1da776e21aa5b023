// Set up before every workerd test file (vitest.config.ts): the markets read a clock the
// test steps, so no test waits for time to pass or depends on an idle machine.
import { afterEach, beforeEach } from "vitest";
import { installManualClock, uninstallManualClock } from "./clock";

beforeEach(() => {
  installManualClock();
});
afterEach(() => uninstallManualClock());
