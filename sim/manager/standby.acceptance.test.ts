// Acceptance (issue 7): standby failover. experiments/standby-failover.json crashes vm-0 one second
// into a run of 128 automata on four spot VMs. Without an optimizer its automata are recovered
// cold (a new processor replays their state); with the standby optimizer they fail over to warm
// standbys. Proves, on virtual time and for every replication (same seeds for both): every
// affected automaton resumes in both runs, the standby run asked for standbys, and its time to
// resume (crash → first committed step) is lower than cold recovery's, for the mean and for the
// slowest automaton.

import test from "ava";
import { experimentPoints, metric, runPoint } from "../../experiments/runner/acceptance-fixtures.ts";

test("after a host crash, automata with standbys resume sooner than cold recovery", (t) => {
  const points = experimentPoints("standby-failover");
  const replications = [...new Set(points.map((point) => point.replication))];
  t.true(replications.length >= 3);
  for (const replication of replications) {
    const [cold, standby] = [0, 1].map((index) => runPoint(points.find((point) => point.index === index && point.replication === replication)!));
    for (const run of [cold!, standby!]) {
      t.is(metric(run, "crashes"), 1);
      t.is(metric(run, "automataNotResumed"), 0, "every automaton of the crashed VM resumed");
    }
    t.true(metric(standby!, "managerRequested") > 0, "standbys were requested");
    t.is(metric(cold!, "managerRequested"), 0);
    const [coldMean, standbyMean] = [metric(cold!, "resumeUsMean"), metric(standby!, "resumeUsMean")];
    const [coldMax, standbyMax] = [metric(cold!, "resumeUsMax"), metric(standby!, "resumeUsMax")];
    t.log(`replication ${replication}: resume mean cold ${coldMean.toFixed(0)} µs, standby ${standbyMean.toFixed(0)} µs; max cold ${coldMax}, standby ${standbyMax}`);
    t.true(standbyMean < coldMean, `standby ${standbyMean} µs < cold ${coldMean} µs`);
    t.true(standbyMax < coldMax);
  }
});
