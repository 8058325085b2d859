// Runs the shared LogDevice contract (engine/io/log-device.contract.ts) against a device of each
// simulated storage tier: hot-replicated memory (backups up), premium SSD and blob. Whatever a
// tier adds (caps, request counting, replication), it must remain a LogDevice the DARQ can use,
// including its crash guarantee: flushed bytes survive, at most the appended ones come back.

import test from "ava";
import { logDeviceContract } from "../../engine/io/log-device.contract.ts";
import { UsageLedger } from "../ledger.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { Simulator } from "../simulator.ts";
import { logDeviceForTier } from "./storage-factory.ts";

const azure = loadCloudProfile("azure-2024");

for (const tierName of ["hot-replicated", "premium-ssd-p10", "blob-premium"]) {
  logDeviceContract(test, `LogDeviceTier ${tierName}`, (seed) => {
    const sim = new Simulator({ seed: `contract-${tierName}-${seed}` });
    const ledger = new UsageLedger({ clock: sim.clock });
    const device = logDeviceForTier(azure, {
      clock: sim.clock, random: sim.random.fork("storage"), storageId: "log", tierName, ledger, hostVmSize: "Standard_D8s_v3",
    });
    return {
      device,
      settle: () => void sim.run(),
      crash: () => {
        device.crash();
        return device;
      },
      dispose: () => device.close(),
    };
  });
}
