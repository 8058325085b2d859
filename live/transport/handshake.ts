// The handshake that authenticates two processes of one cluster by their shared secret, as a
// challenge-response in both directions; the secret never goes on the wire.
//
//   server → client  challenge {kind, version, process: serverId, nonce: serverNonce}
//   client → server  hello     {kind, version, process: clientId, nonce: clientNonce,
//                               mac: HMAC-SHA256(secret, ["ssms-hello-1", clientNonce, serverNonce, clientId, serverId])}
//   server → client  welcome   {kind, mac: HMAC-SHA256(secret, ["ssms-welcome-1", serverNonce, clientNonce, serverId, clientId])}
//   either side      reject    {kind, code, reason}, then the connection closes
//
// Each MAC input is a msgpack array, so fields cannot run into each other; the label makes the
// two directions' MACs differ (a server's welcome cannot be replayed as a hello), the fresh
// server nonce makes an old hello useless on a new connection, and the client's nonce does the
// same for an old welcome. Binding both process ids stops a relay from claiming another name.
// MACs are compared in constant time. Handshake frames are at most handshakeBodyBytesMax, so an
// unauthenticated peer can make this process buffer a kilobyte and no more.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ErrorCode } from "../../engine/io/errors.ts";
import { frameEncode } from "../../engine/io/frame.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import { transportPackr } from "./batch-codec.ts";
import { processIdLengthMax } from "./transport-tcp-config.ts";

export const handshakeVersion = 1;
export const handshakeBodyBytesMax = 1024;
export const nonceBytes = 32;
const macBytes = 32;

export type Challenge = { readonly kind: "challenge"; readonly process: string; readonly nonce: Uint8Array };
export type Hello = { readonly kind: "hello"; readonly process: string; readonly nonce: Uint8Array; readonly mac: Uint8Array };
export type Welcome = { readonly kind: "welcome"; readonly mac: Uint8Array };
export type Reject = { readonly kind: "reject"; readonly code: string; readonly reason: string };
export type Control = Challenge | Hello | Welcome | Reject;

export function nonceNew(): Uint8Array {
  return new Uint8Array(randomBytes(nonceBytes));
}

function mac(secret: Uint8Array, fields: unknown[]): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update(transportPackr.pack(fields)).digest());
}

export function helloMac(secret: Uint8Array, clientNonce: Uint8Array, serverNonce: Uint8Array, clientId: string, serverId: string): Uint8Array {
  return mac(secret, ["ssms-hello-1", clientNonce, serverNonce, clientId, serverId]);
}

export function welcomeMac(secret: Uint8Array, serverNonce: Uint8Array, clientNonce: Uint8Array, serverId: string, clientId: string): Uint8Array {
  return mac(secret, ["ssms-welcome-1", serverNonce, clientNonce, serverId, clientId]);
}

/** Constant-time comparison of a received MAC with the expected one. */
export function macMatches(received: Uint8Array, expected: Uint8Array): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}

export function controlFrame(control: Control): Uint8Array {
  const body = control.kind === "challenge" || control.kind === "hello" ? { ...control, version: handshakeVersion } : control;
  return frameEncode(transportPackr.pack(body));
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= processIdLengthMax;
}

function isBytes(value: unknown, length: number): value is Uint8Array {
  return value instanceof Uint8Array && value.length === length;
}

/** Decodes a handshake frame body; anything but a well-formed control message is an error. */
export function controlDecode(body: Uint8Array): Result<Control> {
  let decoded: unknown;
  try {
    decoded = transportPackr.unpack(new Uint8Array(body.buffer, body.byteOffset, body.length));
  } catch (error) {
    return err(ErrorCode.frameCorrupt, `handshake frame is not msgpack: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof decoded !== "object" || decoded === null) return err(ErrorCode.unauthorized, "handshake frame is not a map");
  const m = decoded as Record<string, unknown>;
  const versionOk = m["version"] === handshakeVersion;
  switch (m["kind"]) {
    case "challenge":
      if (versionOk && isId(m["process"]) && isBytes(m["nonce"], nonceBytes)) return ok(m as Challenge);
      break;
    case "hello":
      if (versionOk && isId(m["process"]) && isBytes(m["nonce"], nonceBytes) && isBytes(m["mac"], macBytes)) return ok(m as Hello);
      break;
    case "welcome":
      if (isBytes(m["mac"], macBytes)) return ok(m as Welcome);
      break;
    case "reject":
      if (typeof m["code"] === "string" && typeof m["reason"] === "string") return ok(m as Reject);
      break;
    default:
      break;
  }
  return err(ErrorCode.unauthorized, `malformed handshake message (kind '${String(m["kind"])}', version ${String(m["version"])}; this process speaks version ${handshakeVersion})`);
}
