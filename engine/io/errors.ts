// Stable error codes for errors that reach users. Each code names what went wrong; the message
// says where and what to do. Codes never change meaning once published.

export const ErrorCode = {
  configInvalid: "SSMS_ERR_CONFIG_INVALID",
  argumentInvalid: "SSMS_ERR_ARGUMENT_INVALID",
  limitExceeded: "SSMS_ERR_LIMIT_EXCEEDED",
  stepEmpty: "SSMS_ERR_STEP_EMPTY",
  stepConflict: "SSMS_ERR_STEP_CONFLICT",
  stepUnknownInput: "SSMS_ERR_STEP_UNKNOWN_INPUT",
  stepStaleIncarnation: "SSMS_ERR_STEP_STALE_INCARNATION",
  logicalDarqUnknown: "SSMS_ERR_LOGICAL_DARQ_UNKNOWN",
  logicalDarqMigrating: "SSMS_ERR_LOGICAL_DARQ_MIGRATING",
  notHere: "SSMS_ERR_NOT_HERE",
  frameCorrupt: "SSMS_ERR_FRAME_CORRUPT",
  messageTooLarge: "SSMS_ERR_MESSAGE_TOO_LARGE",
  deviceFailed: "SSMS_ERR_DEVICE_FAILED",
  deviceClosed: "SSMS_ERR_DEVICE_CLOSED",
  catalogConflict: "SSMS_ERR_CATALOG_CONFLICT",
  catalogUnavailable: "SSMS_ERR_CATALOG_UNAVAILABLE",
  outboxUnavailable: "SSMS_ERR_OUTBOX_UNAVAILABLE",
  unauthorized: "SSMS_ERR_UNAUTHORIZED",
  simulationLimit: "SSMS_ERR_SIMULATION_LIMIT",
  handlerFailed: "SSMS_ERR_HANDLER_FAILED",
  messageInvalid: "SSMS_ERR_MESSAGE_INVALID",
  nodeDown: "SSMS_ERR_NODE_DOWN",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error a user or operator sees: a stable code plus a sentence that says what to do. */
export class SsmsError extends Error {
  override name = "SsmsError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(`${code}: ${message}`);
  }
}
