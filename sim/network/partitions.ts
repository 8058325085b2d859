// Network partitions between hosts, applied and healed at run time.
//
// A partition splits named hosts into groups. Symmetric: no message crosses between two
// different groups, in either direction. Asymmetric: messages flow only from a later group to
// an earlier one, so with groups [A], [B] host A cannot reach B while B still reaches A (the
// half-open link that breaks naive failure detectors). Hosts named in no group are unaffected.
// Several partitions may be active at once; a message is dropped if any of them blocks it.
// The check is a loop over the active partitions (almost always zero or one) with two typed-array
// reads each, so it costs nothing when the network is whole.

import { assert } from "../../engine/io/assert.ts";

type Partition = {
  readonly id: number;
  readonly asymmetric: boolean;
  /** Group index per host index; -1 for hosts in no group (or added after the partition). */
  readonly groupOfHost: Int32Array;
};

export class NetworkPartitions {
  private active: Partition[] = [];
  private idNext = 1;

  /**
   * Starts a partition over host indices grouped as `groups` (at least two non-empty, disjoint
   * groups); returns its id for heal.
   */
  apply(groups: readonly (readonly number[])[], asymmetric: boolean, hostCount: number): number {
    assert(groups.length >= 2, `a network partition needs at least two groups, got ${groups.length}`);
    const groupOfHost = new Int32Array(hostCount).fill(-1);
    groups.forEach((group, groupIndex) => {
      assert(group.length > 0, `network partition group ${groupIndex} is empty`);
      for (const host of group) {
        assert(host >= 0 && host < hostCount, `network partition names host index ${host} of ${hostCount}`);
        assert(groupOfHost[host] === -1, `host index ${host} is in two groups of one network partition`);
        groupOfHost[host] = groupIndex;
      }
    });
    const id = this.idNext++;
    this.active.push({ id, asymmetric, groupOfHost });
    return id;
  }

  /** Heals one partition by id, or all of them when `id` is omitted. */
  heal(id?: number): void {
    this.active = id === undefined ? [] : this.active.filter((partition) => partition.id !== id);
  }

  get activeCount(): number {
    return this.active.length;
  }

  /** True when some active partition drops messages from `fromHost` to `toHost`. */
  blocks(fromHost: number, toHost: number): boolean {
    const active = this.active;
    for (let index = 0; index < active.length; index++) {
      const partition = active[index]!;
      const groups = partition.groupOfHost;
      const fromGroup = fromHost < groups.length ? groups[fromHost]! : -1;
      const toGroup = toHost < groups.length ? groups[toHost]! : -1;
      if (fromGroup < 0 || toGroup < 0 || fromGroup === toGroup) continue;
      if (!partition.asymmetric || fromGroup < toGroup) return true;
    }
    return false;
  }
}
