// The point executor's time series and cost: a sampler that every `intervalUs` of virtual time
// reads the meter's window (throughput, latency p50/p99), the cost of the interval (the priced
// ledger's run dollars now minus at the previous sample, per hour) and the cluster's counters,
// then starts the next window; and `pointCost`, the run's ledger priced per month at the
// config's utilisation, at peak and at 10% (the paper's two blob prices), and the run's own USD
// under the provider's billing rules.
//
// Pricing is after the fact (DESIGN §6): the ledger holds quantities, priceLedger the prices.

import type { TimeseriesSample } from "../../experiments/runner/point.ts";
import type { LedgerData } from "../pricing/ledger-data.ts";
import { priceLedger } from "../pricing/price-ledger.ts";
import { costComponents } from "../pricing/cost-report.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import type { CompletionMeter } from "./executor-meter.ts";
import type { SimCluster } from "./sim-cluster.ts";

const usPerHour = 3_600_000_000;

/**
 * The profile with VM time billed continuously. A simulated run is seconds long, and the month
 * figure assumes what the run held is held all month: rounding each seconds-long VM segment to
 * the provider's whole minutes (Azure drops the extra seconds) would price a 5 s run's VMs at 0.
 */
export function monthBillingProfile(profile: CloudProfile): CloudProfile {
  return { ...profile, compute: { ...profile.compute, billing: { ...profile.compute.billing, stepSeconds: 1e-6, minimumSeconds: 0 } } };
}

/** Samples the run from now every `intervalUs` for `durationUs` into `samples` (times from now). */
export function sampleEvery(cluster: SimCluster, meter: CompletionMeter, intervalUs: number, durationUs: number, samples: TimeseriesSample[]): void {
  const profile = monthBillingProfile(cluster.profile);
  const startUs = cluster.nowUs();
  const endUs = startUs + durationUs;
  const runUsdNow = (): number => {
    const ledger = cluster.ledger.toData();
    return ledger.endUs > ledger.startUs ? priceLedger(ledger, profile).total.runUsd : 0;
  };
  let runUsdBefore = runUsdNow();
  let messagesBefore = meter.messagesCommitted;
  let eventsBefore = cluster.sim.eventsProcessed;
  const sample = (): void => {
    const nowUs = cluster.nowUs();
    const runUsd = runUsdNow();
    samples.push({
      timeUs: nowUs - startUs,
      throughputPerS: (meter.itemsWindow * 1e6) / intervalUs,
      latencyUsP50: Math.round(meter.latencyWindow.quantile(0.5)),
      latencyUsP99: Math.round(meter.latencyWindow.quantile(0.99)),
      costUsdPerHour: ((runUsd - runUsdBefore) * usPerHour) / intervalUs,
      messagesPerS: ((meter.messagesCommitted - messagesBefore) * 1e6) / intervalUs,
      eventsPerS: ((cluster.sim.eventsProcessed - eventsBefore) * 1e6) / intervalUs,
    });
    runUsdBefore = runUsd;
    messagesBefore = meter.messagesCommitted;
    eventsBefore = cluster.sim.eventsProcessed;
    meter.windowReset();
    // The meter has counted the sink's outputs; the sink's own record of them would grow with
    // the run (millions of objects in a long one), so it is dropped at every sample.
    cluster.sink.outputs.length = 0;
    if (nowUs + intervalUs <= endUs) cluster.sim.clock.timerStart(intervalUs, sample);
  };
  if (intervalUs <= durationUs) cluster.sim.clock.timerStart(intervalUs, sample);
}

export type PointCost = {
  /** USD per month at the config's utilisation (default 1). */
  readonly costUsdPerMonth: number;
  readonly metrics: Readonly<Record<string, number>>;
};

/** The run's cost: per month at `utilisation`, at peak and at 10%, by component, and the run's own. */
export function pointCost(ledger: LedgerData, billedProfile: CloudProfile, utilisation: number): PointCost {
  const profile = monthBillingProfile(billedProfile);
  const chosen = priceLedger(ledger, profile, { utilisation });
  const peak = priceLedger(ledger, profile, { utilisation: 1 });
  const tenth = priceLedger(ledger, profile, { utilisation: 0.1 });
  const metrics: Record<string, number> = {
    costUsdPerMonthPeak: peak.total.monthUsd,
    costUsdPerMonthUtilisation10: tenth.total.monthUsd,
    costUsdRun: priceLedger(ledger, billedProfile, { utilisation }).total.runUsd,
  };
  for (const component of costComponents) metrics[`costUsdPerMonth_${component}`] = chosen.components[component].monthUsd;
  return { costUsdPerMonth: chosen.total.monthUsd, metrics };
}
