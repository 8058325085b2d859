// The HTTP side of the node API, apart from its routes: the bearer-token check (the cluster
// secret), msgpack bodies beside JSON, answers in the format the client accepts, and one error
// shape with a stable code and an HTTP status for every failure.
//
// Authentication runs in `onRequest`, before any body is read, so a request without the secret
// costs the node nothing but its headers. Tokens are compared as SHA-256 digests with
// timingSafeEqual, so neither the comparison's time nor a length mismatch tells an attacker
// anything about the secret.

import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Packr } from "msgpackr";
import { ErrorCode } from "../../engine/io/errors.ts";

export const msgpackTypes = ["application/msgpack", "application/x-msgpack", "application/vnd.msgpack"] as const;

/** Plain data only: no records, no class instances, byte arrays as Uint8Array. */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

export type ApiErrorBody = { readonly error: { readonly code: string; readonly message: string } };

const statusByCode: Readonly<Record<string, number>> = {
  [ErrorCode.unauthorized]: 401,
  [ErrorCode.argumentInvalid]: 400,
  [ErrorCode.messageInvalid]: 400,
  [ErrorCode.configInvalid]: 400,
  [ErrorCode.messageTooLarge]: 413,
  [ErrorCode.logicalDarqUnknown]: 404,
  [ErrorCode.limitExceeded]: 504,
  [ErrorCode.catalogUnavailable]: 503,
  [ErrorCode.nodeDown]: 503,
  [ErrorCode.deviceClosed]: 503,
  [ErrorCode.deviceFailed]: 503,
};

export function statusOf(code: string): number {
  return statusByCode[code] ?? 500;
}

function digest(secret: string | Uint8Array): Buffer {
  return createHash("sha256").update(secret).digest();
}

/** Refuses every request whose `Authorization` is not `Bearer <cluster secret>`. */
export function authRegister(app: FastifyInstance, secret: string | Uint8Array): void {
  const expected = digest(secret);
  app.addHook("onRequest", (request, reply, done) => {
    const header = request.headers.authorization;
    const token = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : "";
    if (token.length === 0 || !timingSafeEqual(digest(token), expected)) {
      void reply.header("www-authenticate", "Bearer realm=\"ssms\"");
      answerError(request, reply, ErrorCode.unauthorized,
        "this API needs the cluster secret as 'Authorization: Bearer <secret>' (the launcher wrote it to DIR/secret)");
      return;
    }
    done();
  });
}

/** Accepts msgpack request bodies; a body that does not decode is a 400, not a crash. */
export function msgpackRegister(app: FastifyInstance): void {
  app.addContentTypeParser([...msgpackTypes], { parseAs: "buffer" }, (_request, body, done) => {
    try {
      done(null, packr.unpack(body as Buffer));
    } catch (error) {
      const failure = new Error(`request body is not msgpack: ${(error as Error).message}`) as Error & { statusCode: number; code: string };
      failure.statusCode = 400;
      failure.code = ErrorCode.messageInvalid;
      done(failure, undefined);
    }
  });
}

function wantsMsgpack(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  return msgpackTypes.some((type) => accept.includes(type));
}

/** Answers `value` as msgpack when the client accepts it, else as JSON (byte arrays as base64). */
export function answer(request: FastifyRequest, reply: FastifyReply, status: number, value: unknown): void {
  if (wantsMsgpack(request)) {
    void reply.code(status).type(msgpackTypes[0]).send(Buffer.from(packr.pack(value)));
    return;
  }
  void reply.code(status).type("application/json").send(JSON.stringify(value, jsonBytes));
}

function jsonBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { base64: Buffer.from(value).toString("base64") } : value;
}

export function answerError(request: FastifyRequest, reply: FastifyReply, code: string, message: string): void {
  const body: ApiErrorBody = { error: { code, message } };
  answer(request, reply, statusOf(code), body);
}

/** Fastify's own failures (bad JSON, body too large, unknown route) in the API's error shape. */
export function errorsRegister(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    answerError(request, reply, ErrorCode.argumentInvalid, `no route ${request.method} ${request.url}; see live/README.md for the API`);
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    const code = status === 413 ? ErrorCode.messageTooLarge
      : typeof error.code === "string" && error.code.startsWith("SSMS_ERR_") ? error.code
        : status < 500 ? ErrorCode.argumentInvalid : ErrorCode.handlerFailed;
    const body: ApiErrorBody = { error: { code, message: error.message } };
    answer(request, reply, status < 400 ? 500 : status, body);
  });
}
