// Tests of the cloud profiles and their loader: the bundled profiles validate and are frozen,
// every figure in them is sourced, their key figures are the cloud-pricing facts, and a malformed
// profile is rejected with the JSON path of each problem.

import test from "ava";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SsmsError } from "../../engine/io/errors.ts";
import { isSourced, provenanceProblems, type SourcedValue } from "./figure.ts";
import { loadCloudProfile, loadCloudProfileDocument, parseCloudProfile, profileNames } from "./load.ts";
import { vmSizeKey, vmSizeNamed } from "./lookup.ts";

function mutableCopy(name: string): Record<string, any> {
  return structuredClone(loadCloudProfileDocument(name)) as Record<string, any>;
}

function problemsOf(json: unknown): string {
  const error = (() => {
    try {
      parseCloudProfile(json, "broken.json");
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  if (!(error instanceof SsmsError)) throw new Error("expected the profile to be rejected");
  return error.message;
}

/** Every sourced figure in a document, with its JSON pointer. */
function figures(node: unknown, path = ""): [string, SourcedValue][] {
  if (isSourced(node)) return [[path, node]];
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, child]) => figures(child, `${path}/${key}`));
}

test("profileNames lists the two bundled profiles, sorted", (t) => {
  t.deepEqual(profileNames(), ["aws-2024", "azure-2024"]);
});

test("every bundled profile loads as a deeply frozen tree of plain values", (t) => {
  for (const name of profileNames()) {
    const profile = loadCloudProfile(name);
    t.is(profile.name, name);
    t.true(Object.isFrozen(profile.compute.vmSizes));
    t.is(typeof profile.hoursPerMonth, "number");
    const anySize = Object.values(profile.compute.vmSizes)[0]!;
    t.is(typeof anySize.usdPerHour, "number");
    t.throws(() => {
      (profile.compute.billing as { stepSeconds: number }).stepSeconds = 1;
    });
    t.is(loadCloudProfile(name), profile, "bundled profiles are loaded once");
  }
});

test("every number in every bundled profile carries a source and an asOf date", (t) => {
  for (const name of profileNames()) {
    const document = loadCloudProfileDocument(name);
    t.deepEqual(provenanceProblems(document), [], `${name} has unsourced or badly sourced figures`);
    const all = figures(document);
    t.true(all.length > 100, `${name} should hold many figures, found ${all.length}`);
    for (const [path, figure] of all) {
      t.true(figure.source.length > 10, `${name}${path}: source too short to name anything`);
      t.true(figure.asOf.length > 0, `${name}${path}: asOf missing`);
      if (figure.estimate === true) t.regex(figure.source, /^(estimate|derived): .{20,}/, `${name}${path}: estimate without reasoning`);
    }
  }
});

test("the sourcing check itself catches a bare number and a source that names nothing", (t) => {
  const problems = provenanceProblems({ a: 1, b: { value: 2, source: "my notes", asOf: "2024" }, c: { value: 3, source: "estimate: a guess with reasons", asOf: "2024" } });
  t.deepEqual(problems.map((problem) => problem.path), ["/a", "/b/source", "/c/estimate"]);
});

test("key figures are the cloud-pricing facts (D8s/D32s v3, spot notice, blob, Functions, Lambda)", (t) => {
  const azure = loadCloudProfile("azure-2024");
  t.is(azure.compute.vmSizes["Standard_D8s_v3"]?.usdPerHour, 0.384);
  t.is(azure.compute.vmSizes["Standard_D32s_v3"]?.usdPerHour, 1.536);
  t.is(azure.compute.vmSizes["Standard_D32s_v3"]?.vcpu, 32);
  t.is(azure.compute.vmSizes["Standard_F16s_v2"]?.usdPerHour, 0.677);
  t.is(azure.compute.spot.evictionNoticeUs, 30_000_000);
  t.is(azure.hoursPerMonth, 730);
  const blob = azure.storage.tiers["blob-hot"];
  t.is(blob?.kind, "objectStore");
  if (blob?.kind === "objectStore") {
    t.is(blob.usdPer10kWrites, 0.055);
    t.is(blob.usdPer10kReads, 0.0045);
  }
  t.is(azure.storage.tiers["hot-replicated"]?.kind, "replicatedMemory");
  const consumption = azure.serverless.plans["consumption"]!;
  t.is(consumption.usdPerGbSecond, 0.000016);
  t.is(consumption.billedDurationMinUs, 100_000);
  const aws = loadCloudProfile("aws-2024");
  t.is(aws.serverless.plans["lambda"]?.billedDurationMinUs, 0);
  t.is(aws.compute.spot.evictionNoticeUs, 120_000_000);
  t.is(aws.network.links.crossZone.usdPerGb, 0.02);
  t.is(aws.serverless.workflows?.usdPerStateTransition, 0.000025);
});

test("every VM size names a family of its profile and the baseline family has speed 1", (t) => {
  for (const name of profileNames()) {
    const profile = loadCloudProfile(name);
    t.is(profile.compute.families[profile.compute.baselineFamily]?.speedFactor, 1);
    for (const [size, entry] of Object.entries(profile.compute.vmSizes)) {
      t.truthy(profile.compute.families[entry.family], `${name} ${size}`);
    }
  }
});

test("a malformed profile is rejected with the JSON path of every problem", (t) => {
  const broken = mutableCopy("azure-2024");
  broken["compute"].vmSizes["Standard_D8s_v3"].usdPerHourr = broken["compute"].vmSizes["Standard_D8s_v3"].usdPerHour;
  broken["compute"].vmSizes["Standard_D4s_v3"].usdPerHour.value = "0.192";
  broken["storage"].tiers["blob-hot"].writeLatency.kind = "weibull";
  broken["storage"].tiers["premium-ssd-p10"].writeLatency.medianUs = 1500;
  delete broken["network"].links.sameZone.usdPerGb.source;
  const message = problemsOf(broken);
  t.regex(message, /^SSMS_ERR_CONFIG_INVALID: cloud profile broken\.json is invalid \(5 problems\)/);
  t.regex(message, /\/compute\/vmSizes\/Standard_D8s_v3\/usdPerHourr: Unexpected property/);
  t.regex(message, /\/compute\/vmSizes\/Standard_D4s_v3\/usdPerHour\/value: Expected number/);
  t.regex(message, /\/storage\/tiers\/blob-hot\/writeLatency\/kind: kind must be one of "constant", "uniform", "lognormal"/);
  t.regex(message, /\/storage\/tiers\/premium-ssd-p10\/writeLatency\/medianUs: Expected object/);
  t.regex(message, /\/network\/links\/sameZone\/usdPerGb\/source: Expected required property/);
});

test("provenance and cross-reference problems are reported with their paths", (t) => {
  const broken = mutableCopy("aws-2024");
  broken["compute"].vmSizes["m5.large"].family = "m7";
  broken["compute"].vmSizes["m5.large"].usdPerHour.source = "a spreadsheet somewhere";
  broken["serverless"].defaultPlan = "fargate";
  broken["network"].links.crossZone.oneWayLatency.p99Us.value = 1;
  const message = problemsOf(broken);
  t.regex(message, /\/compute\/vmSizes\/m5\.large\/usdPerHour\/source: source must start with/);
  t.regex(message, /\/compute\/vmSizes\/m5\.large\/family: family 'm7' is not in \/compute\/families/);
  t.regex(message, /\/serverless\/defaultPlan: plan 'fargate' is not in \/serverless\/plans/);
  t.regex(message, /\/network\/links\/crossZone\/oneWayLatency: lognormal needs 0 < medianUs ≤ p99Us/);
});

test("a profile file is loaded through the caller's readText, and bad JSON names the file", (t) => {
  const directory = mkdtempSync(join(tmpdir(), "ssms-profile-"));
  try {
    const document = mutableCopy("azure-2024");
    document["name"] = "azure-custom";
    document["compute"].vmSizes["Standard_D8s_v3"].usdPerHour.value = 0.5;
    const path = join(directory, "custom.json");
    writeFileSync(path, JSON.stringify(document));
    const readText = (file: string): string => readFileSync(file, "utf8");
    const profile = loadCloudProfile(path, { readText });
    t.is(profile.name, "azure-custom");
    t.is(profile.compute.vmSizes["Standard_D8s_v3"]?.usdPerHour, 0.5);
    const error = t.throws(() => loadCloudProfile(path), { instanceOf: SsmsError });
    t.regex(error.message, /needs options\.readText/);
    const bad = join(directory, "bad.json");
    writeFileSync(bad, "{ not json");
    t.throws(() => loadCloudProfile(bad, { readText }), { message: /bad\.json is not valid JSON/ });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("an unknown profile name lists the bundled profiles", (t) => {
  t.throws(() => loadCloudProfile("gcp-2024"), { instanceOf: SsmsError, message: /unknown cloud profile 'gcp-2024'; bundled profiles are aws-2024, azure-2024/ });
  t.throws(() => loadCloudProfile("toString"), { instanceOf: SsmsError });
});

test("VM sizes are found by API name and, on Azure, by the short name papers use", (t) => {
  const azure = loadCloudProfile("azure-2024");
  t.is(vmSizeNamed(azure, "Standard_D8s_v3")?.usdPerHour, 0.384);
  t.is(vmSizeNamed(azure, "D8s_v3")?.usdPerHour, 0.384);
  t.is(vmSizeKey(azure, "D32s v3"), "Standard_D32s_v3");
  t.is(vmSizeNamed(azure, "D64s_v3"), undefined);
  t.is(vmSizeNamed(azure, "constructor"), undefined);
  const aws = loadCloudProfile("aws-2024");
  t.is(vmSizeNamed(aws, "m5.2xlarge")?.vcpu, 8);
  t.is(vmSizeNamed(aws, "2xlarge"), undefined);
});
