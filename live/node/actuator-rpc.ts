// The metadata executor's actuators in a live cluster: remote calls over the transport from the
// metadata node to the node process that runs the DARQ node or compute node concerned.
//
//   ActuatorsLive   (metadata node) implements MetadataActuators: sends {kind: "ctl", req, call,
//                   node, id, darqNode, epoch} to `<process>~ctl` and calls `done` with the answer.
//   ActuatorServer  (every node) carries the call out on its DarqNodeRuntime/ComputeNodeRuntime
//                   and answers {kind: "ctlDone", req, ok, …} to the caller.
//
// Failure model: as in the simulated cluster, a call to a node that is down, or that dies while
// the call is in flight, is never answered; the executor's action timeout tries again, and every
// action is idempotent. Unanswered calls are forgotten after `callTimeoutUs`, so the table of
// calls in flight is bounded in time and in size. A call for a node the spec does not know is
// answered nodeDown at once. The server checks every message it is given, since a bug in one
// node must not crash another.

import type { Clock, TimerId } from "../../engine/io/clock.ts";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import type { Address, Transport } from "../../engine/io/transport.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import type { LogicalState } from "../../engine/darq/index.ts";
import type { ComputeNodeRuntime } from "../../engine/runtime/compute-node.ts";
import type { DarqNodeRuntime } from "../../engine/runtime/darq-node.ts";
import type { MetadataActuators } from "../../engine/runtime/metadata-executor.ts";

type Call = "darqWatch" | "processorStart" | "processorStop" | "standbyStart";
const calls: readonly string[] = ["darqWatch", "processorStart", "processorStop", "standbyStart"];

type CtlRequest = {
  readonly kind: "ctl"; readonly req: number; readonly call: Call; readonly node: string;
  readonly id: string; readonly darqNode: string; readonly epoch: number;
};
type CtlAnswer =
  | { readonly kind: "ctlDone"; readonly req: number; readonly ok: true; readonly value: number | null }
  | { readonly kind: "ctlDone"; readonly req: number; readonly ok: false; readonly code: string; readonly reason: string };

const callsInFlightMax = 65_536;
const messageBytes = 128;

type Pending = { readonly done: (result: Result<number | null>) => void; readonly timer: TimerId };

export class ActuatorsLive implements MetadataActuators {
  calls = 0;
  answered = 0;
  private readonly pending = new Map<number, Pending>();
  private reqNext = 1;
  private stopped = false;

  constructor(
    readonly catalog: CatalogStore,
    private readonly transport: Transport,
    private readonly clock: Clock,
    /** Where answers come back (this process's `~ctlc`). */
    private readonly address: Address,
    /** The node process (its `~ctl` address) that runs node id `node`, or undefined. */
    private readonly serverOf: (node: string) => Address | undefined,
    private readonly callTimeoutUs = 30_000_000,
  ) {
    transport.listen(address, (_from, message) => this.answer(message));
  }

  darqWatch(node: string, id: string, epoch: number, done: (result: Result<void>) => void): void {
    this.call("darqWatch", node, id, "", epoch, (result) => done(result.ok ? ok(undefined) : result));
  }

  processorStart(node: string, id: string, darqNode: string, epoch: number, done: (result: Result<number>) => void): void {
    this.call("processorStart", node, id, darqNode, epoch, (result) => done(result.ok ? ok(result.value ?? 0) : result));
  }

  processorStop(node: string, id: string, epoch: number, done: (result: Result<void>) => void): void {
    this.call("processorStop", node, id, "", epoch, (result) => done(result.ok ? ok(undefined) : result));
  }

  standbyStart(node: string, id: string, darqNode: string, epoch: number, done: (result: Result<void>) => void): void {
    this.call("standbyStart", node, id, darqNode, epoch, (result) => done(result.ok ? ok(undefined) : result));
  }

  // Moving a logical DARQ needs its exported state carried between two node processes, which the
  // control protocol does not do yet: live refuses the fence, and the workflow drops the migration
  // before anything changed (metadata-automaton.ts, "replace" at darqFence).
  darqFence(node: string, id: string, done: (result: Result<void>) => void): void {
    done(err(ErrorCode.argumentInvalid, `migration of ${id} away from ${node}: live clusters do not migrate logical DARQs yet`));
  }

  darqMove(source: string, target: string, id: string, done: (result: Result<void>) => void): void {
    done(err(ErrorCode.argumentInvalid, `migration of ${id} from ${source} to ${target}: live clusters do not migrate logical DARQs yet`));
  }

  darqRelease(node: string, id: string, done: (result: Result<void>) => void): void {
    done(err(ErrorCode.argumentInvalid, `release of ${id} on ${node}: live clusters do not migrate logical DARQs yet`));
  }

  /** Live never parks: a deactivated automaton stays hosted on its DARQ node, watched. */
  darqPark(_node: string, _id: string, _bytesMax: number, done: (result: Result<LogicalState | null>) => void): void {
    done(ok(null));
  }

  darqAdopt(node: string, state: LogicalState, done: (result: Result<void>) => void): void {
    done(err(ErrorCode.argumentInvalid, `adopting ${state.name} on ${node}: live clusters do not move logical DARQs yet`));
  }

  stop(): void {
    this.stopped = true;
    for (const pending of this.pending.values()) this.clock.timerCancel(pending.timer);
    this.pending.clear();
    this.transport.unlisten(this.address);
  }

  private call(call: Call, node: string, id: string, darqNode: string, epoch: number, done: Pending["done"]): void {
    if (this.stopped) return;
    const server = this.serverOf(node);
    if (server === undefined) return done(err(ErrorCode.nodeDown, `node ${node} is not in the cluster spec`));
    if (this.pending.size >= callsInFlightMax) return; // unanswered: the executor's timeout retries
    this.calls++;
    const req = this.reqNext++;
    const timer = this.clock.timerStart(this.callTimeoutUs, () => this.pending.delete(req));
    this.pending.set(req, { done, timer });
    const request: CtlRequest = { kind: "ctl", req, call, node, id, darqNode, epoch };
    this.transport.send(this.address, server, request, messageBytes);
  }

  private answer(raw: unknown): void {
    const message = raw as Partial<CtlAnswer> | null;
    if (typeof message !== "object" || message === null || message.kind !== "ctlDone" || typeof message.req !== "number") return;
    const pending = this.pending.get(message.req);
    if (pending === undefined) return;
    this.pending.delete(message.req);
    this.clock.timerCancel(pending.timer);
    this.answered++;
    if (message.ok === true) return pending.done(ok(typeof message.value === "number" ? message.value : null));
    const failed = message as { code?: unknown; reason?: unknown };
    pending.done(err((typeof failed.code === "string" ? failed.code : ErrorCode.nodeDown) as ErrorCode,
      typeof failed.reason === "string" ? failed.reason : "the node answered a failure without a reason"));
  }
}

export type ActuatorServerHooks = {
  readonly darqNode: (node: string) => DarqNodeRuntime | null;
  readonly computeNode: (node: string) => ComputeNodeRuntime | null;
};

/** Checks a request from the wire; undefined when it is not a well-formed ctl call. */
function requestParse(raw: unknown): CtlRequest | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const message = raw as Record<string, unknown>;
  const { kind, req, call, node, id, darqNode, epoch } = message;
  if (kind !== "ctl" || typeof req !== "number" || !Number.isSafeInteger(req)) return undefined;
  if (typeof call !== "string" || !calls.includes(call)) return undefined;
  if (typeof node !== "string" || typeof id !== "string" || typeof darqNode !== "string") return undefined;
  if (typeof epoch !== "number" || !Number.isSafeInteger(epoch)) return undefined;
  return message as CtlRequest;
}

export class ActuatorServer {
  served = 0;
  malformed = 0;

  constructor(private readonly transport: Transport, private readonly address: Address, private readonly hooks: ActuatorServerHooks) {
    transport.listen(address, (from, message) => this.serve(from, message));
  }

  stop(): void {
    this.transport.unlisten(this.address);
  }

  private serve(from: Address, raw: unknown): void {
    const request = requestParse(raw);
    if (request === undefined) {
      this.malformed++;
      return;
    }
    this.served++;
    const reply = (result: Result<number | null>): void => {
      const answer: CtlAnswer = result.ok
        ? { kind: "ctlDone", req: request.req, ok: true, value: result.value }
        : { kind: "ctlDone", req: request.req, ok: false, code: result.code, reason: result.reason };
      this.transport.send(this.address, from, answer, messageBytes);
    };
    const { call, node, id, darqNode, epoch } = request;
    if (call === "darqWatch") {
      const runtime = this.hooks.darqNode(node);
      if (runtime === null) return reply(err(ErrorCode.nodeDown, `DARQ node ${node} is not served here`));
      return runtime.watch(id, epoch, (result) => reply(result.ok ? ok(null) : result));
    }
    const runtime = this.hooks.computeNode(node);
    if (runtime === null) return reply(err(ErrorCode.nodeDown, `compute node ${node} is not served here`));
    if (call === "processorStart") return runtime.processorStart(id, darqNode, epoch, reply);
    if (call === "standbyStart") return runtime.standbyStart(id, darqNode, epoch, (result) => reply(result.ok ? ok(null) : result));
    runtime.processorStop(id, epoch, (result) => reply(result.ok ? ok(null) : result));
  }
}
