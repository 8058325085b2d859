// Tests of the closed-form statistics the cost model plans with: the normal quantile and tail are
// inverses, Erlang C matches textbook values, M/M/1 waiting quantiles match their closed form, and
// mixture quantiles land where the components put them.

import test from "ava";
import { erlangC, lognormalQuantile, mixtureAdd, mixtureCreate, mixtureQuantile, mmcWaitQuantile, normalQuantile, normalTail, z99 } from "./stats.ts";

test("normalQuantile and normalTail invert each other across the range", (t) => {
  for (const q of [1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 0.999999]) {
    t.true(Math.abs(normalTail(normalQuantile(q)) - (1 - q)) < 2e-7 * Math.max(1, 1 / (1 - q)) * (1 - q) + 1e-9, `q=${q}`);
  }
  t.true(Math.abs(normalQuantile(0.99) - z99) < 1e-8);
  t.is(normalQuantile(0.5), 0);
});

test("Erlang C: one server waits with probability ρ; two servers at a = 1 wait with 1/3", (t) => {
  t.true(Math.abs(erlangC(1, 0.7) - 0.7) < 1e-12);
  t.true(Math.abs(erlangC(2, 1) - 1 / 3) < 1e-12);
  t.is(erlangC(4, 0), 0);
  t.throws(() => erlangC(2, 2), { message: /0 ≤ a < c/ });
});

test("M/M/1 waiting quantile: P(W > t) = ρ e^(−(1−ρ)t/s)", (t) => {
  const serviceUs = 100;
  const rho = 0.8;
  const expected = (Math.log(rho / 0.01) / (1 - rho)) * serviceUs;
  t.true(Math.abs(mmcWaitQuantile(1, rho, serviceUs, 0.99) - expected) < 1e-9);
  t.is(mmcWaitQuantile(1, 0.3, serviceUs, 0.5), 0, "more than half of arrivals find the server idle");
});

test("mixture quantiles: a quarter at 100 and three quarters at 1000 put p10 at 100 and p99 at 1000; one lognormal gives its own", (t) => {
  const near = (actual: number, expected: number) => Math.abs(actual / expected - 1) < 1e-6;
  const mixture = mixtureCreate(2);
  mixtureAdd(mixture, 1, 100, 100);
  mixtureAdd(mixture, 3, 1000, 1000);
  t.true(near(mixtureQuantile(mixture, 0.99), 1000));
  t.true(near(mixtureQuantile(mixture, 0.1), 100));
  t.true(near(mixtureQuantile(mixture, 0.3), 1000), "P(X ≤ x) jumps from 0.25 to 1 at 1000");
  const single = mixtureCreate(1);
  mixtureAdd(single, 5, 100, 400);
  t.true(Math.abs(mixtureQuantile(single, 0.99) - 400) < 1e-4, "one lognormal: its own p99");
  t.true(Math.abs(mixtureQuantile(single, 0.9) - lognormalQuantile(100, 400, 0.9)) < 1e-4);
  t.is(mixtureQuantile(mixtureCreate(3), 0.5), 0, "empty mixture");
});
