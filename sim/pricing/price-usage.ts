// Pricing what scales with load: serverless invocations and GB-seconds, workflow state
// transitions, and bytes moved over the network.
//
// Serverless: billed memory is rounded up to the plan's step and clamped to its range; billed
// time is the sum of per-invocation billed durations the ledger accumulated under this plan's
// rounding rule (1 ms steps, plus Azure's 100 ms minimum). GB-s = billed GB × billed seconds,
// with the plan's MB-per-GB. Network: same-zone, cross-zone and egress bytes at the profile's
// per-GB prices. Free grants (when asked for) are credited per month across all resources.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { CloudProfile, ServerlessPlanProfile } from "../profiles/schema.ts";
import type { CostBook } from "./cost-report.ts";
import { egressZone, type LedgerData } from "./ledger-data.ts";
import type { ResolvedPricingOptions } from "./options.ts";
import { billedMemoryMb, durationRuleOf, ruleIndex } from "./rounding.ts";

export function priceServerless(ledger: LedgerData, profile: CloudProfile, options: ResolvedPricingOptions, book: CostBook): void {
  const plan = profile.serverless.plans[options.serverlessPlan]!;
  if (ledger.functions.length > 0) {
    const rule = durationRuleOf(plan);
    const index = ruleIndex(ledger.durationRules, rule);
    if (index < 0) {
      throw new SsmsError(ErrorCode.argumentInvalid,
        `the ledger kept billed durations for rules ${JSON.stringify(ledger.durationRules)}, not for ${profile.name}'s plan '${options.serverlessPlan}' (stepUs ${rule.stepUs}, minUs ${rule.minUs}); record the run with durationRules including it`);
    }
    for (const fn of ledger.functions) priceFunction(fn, index, plan, options, book);
    book.grant("serverless", "invocations", plan.freeInvocationsPerMonth / 1e6);
    book.grant("serverless", "GB-seconds", plan.freeGbSecondsPerMonth);
  }
  const workflows = profile.serverless.workflows;
  if (ledger.workflows.length > 0 && workflows === undefined) {
    throw new SsmsError(ErrorCode.argumentInvalid, `the ledger has workflow state transitions but price table ${profile.name} prices no workflows`);
  }
  if (workflows !== undefined) {
    for (const workflow of ledger.workflows) {
      book.usage("serverless", workflow.id, "state transitions", workflow.stateTransitions, "transitions", workflows.usdPerStateTransition);
    }
    book.grant("serverless", "state transitions", workflows.freeStateTransitionsPerMonth);
  }
}

function priceFunction(
  fn: LedgerData["functions"][number], ruleIndex: number, plan: ServerlessPlanProfile,
  options: ResolvedPricingOptions, book: CostBook,
): void {
  if (fn.memoryMb > plan.memoryMbMax) {
    book.warn(`function '${fn.id}' has ${fn.memoryMb} MB, above plan '${options.serverlessPlan}''s ${plan.memoryMbMax} MB maximum; billed at the maximum`);
  }
  const gb = billedMemoryMb(fn.memoryMb, plan) / plan.mbPerGb;
  const billedSeconds = fn.billedUsByRule[ruleIndex]! / 1e6;
  book.usage("serverless", fn.id, "invocations", fn.invocations / 1e6, "M invocations", plan.usdPerMillionInvocations);
  book.usage("serverless", fn.id, "GB-seconds", gb * billedSeconds, "GB-s", plan.usdPerGbSecond);
}

export function priceNetwork(ledger: LedgerData, profile: CloudProfile, book: CostBook): void {
  const { links } = profile.network;
  for (const path of ledger.network) {
    const gb = path.bytes / profile.bytesPerGb;
    const resourceId = `${path.sourceZone}→${path.targetZone}`;
    if (path.targetZone === egressZone) {
      book.usage("network", resourceId, "egress", gb, "GB", profile.network.egressUsdPerGb);
    } else if (path.sourceZone === path.targetZone) {
      book.usage("network", resourceId, "same-zone transfer", gb, "GB", links.sameZone.usdPerGb);
    } else {
      book.usage("network", resourceId, "cross-zone transfer", gb, "GB", links.crossZone.usdPerGb);
    }
  }
  book.grant("network", "egress", profile.network.egressFreeGbPerMonth);
}
