// Result values for operating errors: the caller decides what a failure means.

import type { ErrorCode } from "./errors.ts";

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err = { readonly ok: false; readonly code: ErrorCode; readonly reason: string };
export type Result<T> = Ok<T> | Err;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err(code: ErrorCode, reason: string): Err {
  return { ok: false, code, reason };
}
