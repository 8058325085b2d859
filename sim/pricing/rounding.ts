// Providers' rounding rules and minimums, as pure functions.
//
// - VM time is billed per start–stop segment: rounded to a step (Azure: whole minutes, extra
//   seconds dropped; AWS: whole seconds, rounded up) and never below a minimum (AWS: 60 s).
// - A serverless invocation's duration is rounded up to a step and raised to a minimum (Azure
//   Functions: 1 ms steps, 100 ms minimum; Lambda: 1 ms steps, no minimum). The ledger applies
//   these per invocation at record time, for every rule it was asked to keep.
// - Serverless memory is rounded up to a step and clamped to the plan's range (Azure: observed
//   memory in 128 MB buckets, 128–1,536 MB; Lambda: configured memory, 1 MB steps).

import { assert } from "../../engine/io/assert.ts";
import type { CloudProfile, ServerlessPlanProfile } from "../profiles/schema.ts";
import type { LedgerDurationRule } from "./ledger-data.ts";

export type DurationRule = LedgerDurationRule;
export type VmBillingRule = CloudProfile["compute"]["billing"];

/** Billed µs of one invocation that ran `durationUs`. */
export function billedDurationUs(durationUs: number, rule: DurationRule): number {
  assert(durationUs >= 0, `invocation duration must be ≥ 0 µs, got ${durationUs}`);
  return Math.max(rule.minUs, Math.ceil(durationUs / rule.stepUs) * rule.stepUs);
}

/** Billed seconds of one VM run segment of `runSeconds`. */
export function billedVmSeconds(runSeconds: number, rule: VmBillingRule): number {
  assert(runSeconds >= 0, `VM run time must be ≥ 0 s, got ${runSeconds}`);
  const steps = runSeconds / rule.stepSeconds;
  // A tolerance keeps float noise (e.g. 3600.0000000001 s from µs arithmetic) from adding a step.
  const whole = rule.rounding === "up" ? Math.ceil(steps - 1e-9) : Math.floor(steps + 1e-9);
  return Math.max(rule.minimumSeconds, whole * rule.stepSeconds);
}

/** Billed memory of a function configured (Lambda) or observed (Azure) at `memoryMb`. */
export function billedMemoryMb(memoryMb: number, plan: ServerlessPlanProfile): number {
  const stepped = Math.ceil(memoryMb / plan.memoryStepMb) * plan.memoryStepMb;
  return Math.min(plan.memoryMbMax, Math.max(plan.memoryMbMin, stepped));
}

/** The duration rule of a serverless plan. */
export function durationRuleOf(plan: ServerlessPlanProfile): DurationRule {
  return { stepUs: plan.billedDurationStepUs, minUs: plan.billedDurationMinUs };
}

/** The distinct duration rules of every plan in `profiles`, in first-seen order. */
export function durationRulesOf(profiles: readonly CloudProfile[]): DurationRule[] {
  const rules: DurationRule[] = [];
  for (const profile of profiles) {
    for (const plan of Object.values(profile.serverless.plans)) {
      const rule = durationRuleOf(plan);
      if (ruleIndex(rules, rule) < 0) rules.push(rule);
    }
  }
  return rules;
}

/** Index of `rule` in `rules`, or -1. */
export function ruleIndex(rules: readonly DurationRule[], rule: DurationRule): number {
  return rules.findIndex((candidate) => candidate.stepUs === rule.stepUs && candidate.minUs === rule.minUs);
}
