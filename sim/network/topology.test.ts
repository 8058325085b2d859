// The topology answers which addresses share a process: the addresses placed in one process on
// one host, and none of another process of that host or of a same-named process elsewhere.

import test from "ava";
import { Topology } from "./topology.ts";

test("addressesInProcess lists the addresses placed in that process of that host, moves included", (t) => {
  const topology = new Topology();
  topology.hostAdd("h1", { zone: "z1", vmSize: null });
  topology.hostAdd("h2", { zone: "z1", vmSize: null });
  topology.addressPlace("darq", "h1", "p");
  topology.addressPlace("darq~proc", "h1", "p");
  topology.addressPlace("spare~proc", "h1", "p");
  topology.addressPlace("alone", "h1");
  topology.addressPlace("elsewhere", "h2", "p");
  topology.addressPlace("moved", "h1", "p");
  topology.addressPlace("moved", "h2", "q");
  t.deepEqual(topology.addressesInProcess("h1", "p"), ["darq", "darq~proc", "spare~proc"]);
  t.deepEqual(topology.addressesInProcess("h2", "p"), ["elsewhere"]);
  t.deepEqual(topology.addressesInProcess("h1", "none"), []);
});
