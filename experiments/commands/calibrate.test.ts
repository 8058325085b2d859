// `ssms calibrate pi` writes a calibration file the simulator accepts (checked with
// parsePiCalibration, the simulator's own loader), with one point per measured scale and the
// decimals the documented mapping gives. Timings themselves are not asserted.

import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePiCalibration, piDecimalsOfScale } from "../../workloads/pi/pi-work.ts";
import { captureIo, tempDir } from "../runner/runner-fixtures.ts";
import { main } from "./calibrate.ts";

test("calibrate pi --quick writes a calibration the simulator accepts", async (t) => {
  const out = join(tempDir("calibrate"), "calibration.json");
  const io = captureIo();
  t.is(await main(["pi", "--quick", "--out", out], io), 0, io.text());
  const parsed = parsePiCalibration(JSON.parse(readFileSync(out, "utf8")), out);
  if (!parsed.ok) return t.fail(parsed.reason);
  t.deepEqual(parsed.value.points.map((point) => point.computeScale), [0.1, 1, 10]);
  t.deepEqual(parsed.value.points.map((point) => point.decimals), [0.1, 1, 10].map(piDecimalsOfScale));
  t.regex(io.text(), /c=10 decimals=316 coreUsMedian=/);
});

test("calibrate knows only pi (exit 2 otherwise)", async (t) => {
  const io = captureIo();
  t.is(await main(["travel"], io), 2);
  t.regex(io.text(), /only calibrated workload is 'pi'/);
});
