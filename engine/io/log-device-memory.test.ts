// Runs the LogDevice contract against LogDeviceMemory (volatile: no reopen, no crash model).

import test from "ava";
import { logDeviceContract } from "./log-device.contract.ts";
import { LogDeviceMemory } from "./log-device-memory.ts";

logDeviceContract(test, "LogDeviceMemory", () => ({
  device: new LogDeviceMemory(),
  settle: () => {},
  dispose: () => {},
}));
