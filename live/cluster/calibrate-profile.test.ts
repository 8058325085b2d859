// The calibrated profile: a valid cloud profile built from measurements, whose links carry the
// idle hop's residual, and the premise of fitting that residual: the simulated idle hop grows by
// what the links are given, once per hop.

import test from "ava";
import { cloudProfileRegister } from "../../sim/profiles/load.ts";
import { idleHopSimulatedUs } from "./calibrate-command.ts";
import { calibratedProfile, calibratedProfileName, type Measured } from "./calibrate-profile.ts";

const latency = (p50: number, p99: number, mean?: number) => ({ p50, p99, samples: 1_000, ...(mean === undefined ? {} : { mean }) });

const measured: Measured = {
  fsyncUs: latency(550, 3_000, 650), fsyncBusyUs: latency(600, 2_500, 700), fsyncIsolatedUs: latency(310, 590),
  loopbackOneWayUs: latency(42, 180), catalogReadUs: latency(8, 36), catalogWriteUs: latency(20, 92),
  stepCoreUs: 140, coreShare: 0.78, cpuSpeed: 0.8, idleHopUs: 2_000, hopResidualUs: 0,
};

type Link = { oneWayLatency: { medianUs: { value: number; source: string }; p99Us: { value: number } } };
const sameZone = (profile: Record<string, any>): Link => profile["network"]["links"]["sameZone"] as Link;

test("the profile is valid and its links carry the loopback latency plus the idle hop's residual", (t) => {
  const plain = calibratedProfile(measured, "2026-11-27");
  t.notThrows(() => cloudProfileRegister(calibratedProfileName, plain));
  t.is(sameZone(plain).oneWayLatency.medianUs.value, 42);
  const fitted = calibratedProfile({ ...measured, hopResidualUs: 400.4 }, "2026-11-27");
  t.notThrows(() => cloudProfileRegister(calibratedProfileName, fitted));
  t.is(sameZone(fitted).oneWayLatency.medianUs.value, 442);
  t.is(sameZone(fitted).oneWayLatency.p99Us.value, 580);
  t.regex(sameZone(fitted).oneWayLatency.medianUs.source, /idle hop's residual 400 µs/);
});

test("the simulated idle hop grows by the residual the links are given: one message per hop", (t) => {
  const without = idleHopSimulatedUs(measured, "2026-11-27");
  const withResidual = idleHopSimulatedUs({ ...measured, hopResidualUs: 500 }, "2026-11-27");
  t.true(without > 1_000 && without < 3_000, `two flushes and a step's runtime: ${without} µs`);
  t.true(Math.abs(withResidual - without - 500) <= 25, `${without} µs → ${withResidual} µs`);
});
