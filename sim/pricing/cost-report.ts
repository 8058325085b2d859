// The cost report and the book that builds it, line by line.
//
// A line prices one item of one resource (a VM's billed hours, a blob's writes, a function's
// GB-seconds). It carries the run's dollars and the month's, extrapolated by one rule:
//   monthFactor = hoursPerMonth × 3600 s ÷ run seconds (730 h by the providers' convention).
// - "provisioned" lines (VM time, disks, replica VMs, stored bytes) scale by monthFactor alone:
//   what was held on average during the run is held all month.
// - "usage" lines (requests, GB-s, bytes moved, state transitions) also scale by the
//   `utilisation` option: the run measured the system at its offered load, the month runs at that
//   load for a fraction of the time (the paper prices blob at 10% utilisation and at peak).
// Free grants are monthly: the month credits min(usage, grant); the run credits the grant pro
// rata, min(usage, grant ÷ monthFactor), so run and month stay consistent.

export const costComponents = ["compute", "serverless", "storageCapacity", "storageOperations", "network"] as const;
export type CostComponent = (typeof costComponents)[number];

export type CostLine = {
  readonly component: CostComponent;
  readonly resourceId: string;
  readonly item: string;
  /** Amount consumed in the run, in `unit`. */
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly runUsd: number;
  readonly monthUsd: number;
  readonly basis: "provisioned" | "usage" | "grant";
};

export type Money = { readonly runUsd: number; readonly monthUsd: number };

export type CostReport = {
  /** The price table: profile name and version date. */
  readonly priceTable: { readonly profile: string; readonly provider: string; readonly asOf: string; readonly region: string };
  readonly runSeconds: number;
  readonly hoursPerMonth: number;
  readonly monthFactor: number;
  readonly utilisation: number;
  readonly freeGrants: boolean;
  readonly total: Money;
  readonly components: Readonly<Record<CostComponent, Money>>;
  /** Sum per resource id across components (grant credits under "free-grant"). */
  readonly resources: Readonly<Record<string, Money>>;
  readonly lines: readonly CostLine[];
  readonly warnings: readonly string[];
};

/** Collects lines for one pricing pass; knows the month factor, utilisation and grant rule. */
export class CostBook {
  readonly lines: CostLine[] = [];
  readonly warnings: string[] = [];

  constructor(readonly monthFactor: number, readonly utilisation: number, readonly freeGrants: boolean) {}

  /** A line whose run quantity is held for the month: VM hours, disk-months, GB-months. */
  provisioned(component: CostComponent, resourceId: string, item: string, quantity: number, unit: string, unitUsd: number): void {
    const runUsd = quantity * unitUsd;
    this.lines.push({ component, resourceId, item, quantity, unit, unitUsd, runUsd, monthUsd: runUsd * this.monthFactor, basis: "provisioned" });
  }

  /** A line that scales with load: requests, GB-s, bytes moved. */
  usage(component: CostComponent, resourceId: string, item: string, quantity: number, unit: string, unitUsd: number): void {
    const runUsd = quantity * unitUsd;
    const monthUsd = quantity * this.monthFactor * this.utilisation * unitUsd;
    this.lines.push({ component, resourceId, item, quantity, unit, unitUsd, runUsd, monthUsd, basis: "usage" });
  }

  /**
   * Credits a monthly free grant of `grantPerMonth` units against every usage line of `item` in
   * `component` (the grant is per subscription, shared by all resources). No-op unless freeGrants.
   */
  grant(component: CostComponent, item: string, grantPerMonth: number): void {
    if (!this.freeGrants || grantPerMonth <= 0) return;
    const matching = this.lines.filter((line) => line.component === component && line.item === item && line.basis === "usage");
    if (matching.length === 0) return;
    const runQuantity = matching.reduce((sum, line) => sum + line.quantity, 0);
    const unitUsd = matching[0]!.unitUsd;
    const runCredit = Math.min(runQuantity, grantPerMonth / this.monthFactor);
    const monthCredit = Math.min(runQuantity * this.monthFactor * this.utilisation, grantPerMonth);
    this.lines.push({
      component, resourceId: "free-grant", item, quantity: -runCredit, unit: matching[0]!.unit, unitUsd,
      runUsd: -runCredit * unitUsd, monthUsd: -monthCredit * unitUsd, basis: "grant",
    });
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
}

/** Totals per component and per resource. */
export function summarise(lines: readonly CostLine[]): { total: Money; components: Record<CostComponent, Money>; resources: Record<string, Money> } {
  const components = Object.fromEntries(costComponents.map((name) => [name, { runUsd: 0, monthUsd: 0 }])) as Record<CostComponent, { runUsd: number; monthUsd: number }>;
  const resources: Record<string, { runUsd: number; monthUsd: number }> = {};
  const total = { runUsd: 0, monthUsd: 0 };
  for (const line of lines) {
    for (const money of [components[line.component], (resources[line.resourceId] ??= { runUsd: 0, monthUsd: 0 }), total]) {
      money.runUsd += line.runUsd;
      money.monthUsd += line.monthUsd;
    }
  }
  return { total, components, resources };
}
