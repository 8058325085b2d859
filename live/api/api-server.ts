// The node API (fastify): for clients, send to an automaton, ask it, read its committed state;
// for admins, health, catalog and Prometheus metrics. Every route needs the cluster secret as a
// bearer token (api-http.ts). Bodies are JSON or msgpack, answers follow `Accept`.
//
//   GET  /v1/health                               this node: boot, DARQ, processors, metadata
//   GET  /metrics                                 Prometheus text format 0.0.4
//   GET  /v1/catalog                              types, nodes, number of active automata
//   GET  /v1/catalog/automata/:type/:key          the automaton's catalog row (404 if not active)
//   POST /v1/automata/:type/:key/messages         {message, producer?, seq?} → 202 {id, producer, seq}
//   POST /v1/automata/:type/:key/ask              {message} → 200 {id, reply}
//   GET  /v1/automata/:type/:key/state            → 200 {id, state}
//
// Malformed requests (bad JSON or msgpack, unknown keys, an id that is not `type/key`, a type the
// cluster does not serve, a body over `bodyBytesMax`) are refused with a 4xx before anything is
// sent, so they cannot touch any automaton's state. Listens on loopback unless configured.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { ErrorCode } from "../../engine/io/errors.ts";
import type { Result } from "../../engine/io/result.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import { automatonId, automatonIdCheck, type AutomatonId } from "../../engine/runtime/ids.ts";
import { plainDataProblem } from "../../engine/runtime/plain-data.ts";
import type { ApiBackend, SendReceipt } from "./api-backend.ts";
import { answer, answerError, authRegister, errorsRegister, msgpackRegister } from "./api-http.ts";

export type ApiServerOptions = {
  readonly host: string;
  readonly port: number;
  readonly secret: string | Uint8Array;
  readonly backend: ApiBackend;
  readonly catalog: CatalogStore;
  readonly health: () => unknown;
  readonly metrics: () => string;
  readonly bodyBytesMax?: number;
};

export type ApiServer = { readonly app: FastifyInstance; readonly port: number; close(): Promise<void> };

type IdParams = { type: string; key: string };
const producerPattern = /^[A-Za-z0-9_.:@#-]{1,128}$/;

export async function apiServerStart(options: ApiServerOptions): Promise<ApiServer> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyBytesMax ?? 1024 * 1024 });
  authRegister(app, options.secret);
  msgpackRegister(app);
  errorsRegister(app);
  routesAdmin(app, options);
  routesAutomata(app, options.backend);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return { app, port, close: () => app.close() };
}

/** Answers `result` (value through `shape`) or its error. */
function settle<T>(request: FastifyRequest, reply: FastifyReply, status: number, shape: (value: T) => unknown): (result: Result<T>) => void {
  return (result) => {
    if (result.ok) answer(request, reply, status, shape(result.value));
    else answerError(request, reply, result.code, result.reason);
  };
}

function routesAdmin(app: FastifyInstance, options: ApiServerOptions): void {
  const { catalog } = options;
  app.get("/v1/health", (request, reply) => answer(request, reply, 200, options.health()));
  app.get("/metrics", (_request, reply) => {
    void reply.code(200).type("text/plain; version=0.0.4").send(options.metrics());
  });
  app.get("/v1/catalog", (request, reply) => {
    catalogOverview(catalog, settle(request, reply, 200, (value) => value));
  });
  app.get<{ Params: IdParams }>("/v1/catalog/automata/:type/:key", (request, reply) => {
    const id = idOf(request, reply);
    if (id === undefined) return;
    catalog.lookup(id, (row) => {
      if (!row.ok) return answerError(request, reply, row.code, row.reason);
      if (row.value === null) return answerError(request, reply, ErrorCode.logicalDarqUnknown, `${id} is not active`);
      answer(request, reply, 200, row.value);
    });
  });
}

function catalogOverview(catalog: CatalogStore, done: (result: Result<unknown>) => void): void {
  catalog.typeList((types) => {
    if (!types.ok) return done(types);
    catalog.nodeList({}, (nodes) => {
      if (!nodes.ok) return done(nodes);
      catalog.count((count) => done(count.ok ? { ok: true, value: { types: types.value, nodes: nodes.value, activeAutomata: count.value } } : count));
    });
  });
}

function routesAutomata(app: FastifyInstance, backend: ApiBackend): void {
  app.post<{ Params: IdParams }>("/v1/automata/:type/:key/messages", (request, reply) => {
    const id = idOf(request, reply, backend);
    if (id === undefined) return;
    const body = bodyOf(request, reply, ["message", "producer", "seq"]);
    if (body === undefined) return;
    const caller = receiptOf(body);
    if (typeof caller === "string") return answerError(request, reply, ErrorCode.argumentInvalid, caller);
    backend.send(id, body["message"], caller, settle(request, reply, 202, (receipt: SendReceipt) => ({ id, ...receipt })));
  });
  app.post<{ Params: IdParams }>("/v1/automata/:type/:key/ask", (request, reply) => {
    const id = idOf(request, reply, backend);
    if (id === undefined) return;
    const body = bodyOf(request, reply, ["message"]);
    if (body === undefined) return;
    backend.ask(id, body["message"], settle(request, reply, 200, (value) => ({ id, reply: value })));
  });
  app.get<{ Params: IdParams }>("/v1/automata/:type/:key/state", (request, reply) => {
    const id = idOf(request, reply, backend);
    if (id === undefined) return;
    backend.readState(backend.definitionOf(request.params.type)!, request.params.key, settle(request, reply, 200, (state) => ({ id, state })));
  });
}

/** The automaton id of the route, checked (and, with `backend`, of a served type); else answered. */
function idOf(request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, backend?: ApiBackend): AutomatonId | undefined {
  const { type, key } = request.params;
  const checked = automatonIdCheck(`${type}/${key}`);
  if (!checked.ok) {
    answerError(request, reply, ErrorCode.argumentInvalid, `'${type}/${key}' is not an automaton id: ${checked.reason}`);
    return undefined;
  }
  if (backend !== undefined && (backend.definitionOf(type) === undefined || type.startsWith("ssms."))) {
    answerError(request, reply, ErrorCode.logicalDarqUnknown, `this cluster serves no automaton type '${type}'`);
    return undefined;
  }
  return automatonId(type, key);
}

/** The request body as an object with only `allowed` keys and a plain-data `message`; else answered. */
function bodyOf(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): Record<string, unknown> | undefined {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Uint8Array) {
    answerError(request, reply, ErrorCode.argumentInvalid, `the body must be an object with keys ${allowed.join(", ")}`);
    return undefined;
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !allowed.includes(key));
  const problem = unknown.length > 0 ? `unknown body key '${unknown[0]}' (allowed: ${allowed.join(", ")})`
    : !("message" in record) ? "the body needs a 'message'"
      : plainDataProblem(record["message"], "message");
  if (problem !== undefined) {
    answerError(request, reply, ErrorCode.argumentInvalid, problem);
    return undefined;
  }
  return record;
}

/** The caller's (producer, seq), none, or what is wrong with them. */
function receiptOf(body: Record<string, unknown>): SendReceipt | undefined | string {
  const { producer, seq } = body;
  if (producer === undefined && seq === undefined) return undefined;
  if (typeof producer !== "string" || !producerPattern.test(producer)) return "producer must be 1..128 characters of A-Z a-z 0-9 _ . : @ # -";
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) return "seq must be an integer ≥ 1 (numbered per producer and target from 1)";
  return { producer, seq };
}
