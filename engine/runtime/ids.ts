// Automaton ids: every automaton is named by a logical id `type/key` and never by a machine
// (virtual automata, paper §3.1). The type names a definition; the key names one instance of it
// and may itself contain slashes (`order/2024/17`), so an id splits at its first slash.
//
// Ids travel in every message envelope, name logical DARQs and key the catalog, so they are
// checked once where they enter (a ref is made, an envelope decoded) and trusted afterwards.
// Limits keep envelopes and catalog rows bounded; control characters are refused because ids
// appear in logs, metrics labels and file names.

import { ErrorCode, SsmsError } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";

/** A logical automaton id, `type/key`. Only `automatonId`/`automatonIdCheck` make these. */
export type AutomatonId = `${string}/${string}`;

export const automatonTypeLengthMax = 64;
export const automatonKeyBytesMax = 256;

/** Letters, digits, `_`, `-`, `.`, `:`; starts with a letter, digit or `_`. */
const typePattern = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
// Control characters: C0, DEL and C1.
const controlPattern = /[\u0000-\u001f\u007f-\u009f]/;

const idExample = "ids are 'type/key', e.g. 'counter/alice'";

/** Why `type` is not a valid automaton type name, or undefined when it is. */
export function automatonTypeProblem(type: string): string | undefined {
  if (type.length === 0) return "the type is empty";
  if (type.length > automatonTypeLengthMax) {
    return `the type is ${type.length} characters long; at most ${automatonTypeLengthMax} are allowed`;
  }
  if (type.includes("/")) return "the type contains '/', which separates type from key";
  if (!typePattern.test(type)) {
    return "the type may contain only letters, digits, '_', '-', '.', ':' and must not start with '-', '.' or ':'";
  }
  return undefined;
}

/** Why `key` is not a valid automaton key, or undefined when it is. */
export function automatonKeyProblem(key: string): string | undefined {
  if (key.length === 0) return "the key is empty";
  // A UTF-16 unit encodes to at most 3 UTF-8 bytes, so most keys skip the exact count.
  if (key.length * 3 > automatonKeyBytesMax) {
    const keyBytes = utf8Length(key);
    if (keyBytes > automatonKeyBytesMax) {
      return `the key is ${keyBytes} bytes long in UTF-8; at most ${automatonKeyBytesMax} are allowed`;
    }
  }
  if (controlPattern.test(key)) return "the key contains a control character";
  return undefined;
}

/** Parses and validates an id; the error says which part is wrong. */
export function automatonIdCheck(id: string): Result<{ type: string; key: string }> {
  const slash = id.indexOf("/");
  if (slash < 0) return err(ErrorCode.argumentInvalid, `automaton id '${shown(id)}' has no '/'; ${idExample}`);
  const type = id.slice(0, slash);
  const key = id.slice(slash + 1);
  const problem = automatonTypeProblem(type) ?? automatonKeyProblem(key);
  if (problem !== undefined) {
    return err(ErrorCode.argumentInvalid, `automaton id '${shown(id)}' is malformed: ${problem}; ${idExample}`);
  }
  return ok({ type, key });
}

/** Narrows a string to an AutomatonId, or throws SsmsError(argumentInvalid) saying what is wrong. */
export function automatonIdParse(id: string): AutomatonId {
  const checked = automatonIdCheck(id);
  if (!checked.ok) throw new SsmsError(checked.code, checked.reason, { id: shown(id) });
  return id as AutomatonId;
}

/** Builds `type/key`, or throws SsmsError(argumentInvalid) naming the bad part. */
export function automatonId(type: string, key: string): AutomatonId {
  const problem = automatonTypeProblem(type) ?? automatonKeyProblem(key);
  if (problem !== undefined) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `cannot make an automaton id from type '${shown(type)}' and key '${shown(key)}': ${problem}; ${idExample}`,
      { type: shown(type), key: shown(key) });
  }
  return `${type}/${key}`;
}

/** The type part of a valid id. */
export function automatonIdType(id: AutomatonId): string {
  return id.slice(0, id.indexOf("/"));
}

/** The key part of a valid id. */
export function automatonIdKey(id: AutomatonId): string {
  return id.slice(id.indexOf("/") + 1);
}

/** UTF-8 length without encoding (engine code stays free of Node's Buffer). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** An id as it may safely appear inside an error message: bounded and with controls escaped. */
function shown(text: string): string {
  const head = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(head).slice(1, -1);
}

declare const acceptsBrand: unique symbol;

/**
 * A typed reference to an automaton: at run time just its id string (so refs travel inside
 * messages as plain data), at compile time it also carries the message type the automaton
 * accepts. The brand is a function of the message type, so a ref is contravariant: a ref that
 * accepts all of a counter's messages may be used where only `add` messages are sent, not the
 * other way round.
 */
export type AutomatonRef<Message> = AutomatonId & { readonly [acceptsBrand]: (message: Message) => void };

/**
 * A ref from an id string (e.g. read from config or a message), checked at run time for shape
 * only: the caller vouches that the automaton accepts `Message`. Prefer `definition.ref(key)`.
 */
export function automatonRef<Message>(id: string): AutomatonRef<Message> {
  return automatonIdParse(id) as AutomatonRef<Message>;
}
