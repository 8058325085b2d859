// The address book of the live transport: logical addresses ("darq:n1", "compute:n2") map to the
// endpoint ("host:port") of the process that listens for them. The cluster launcher fills it at
// start and updates it at run time (a node restarts on another port, an automaton's DARQ
// migrates); the transport looks an address up on every send, so a change applies to the next
// message. Endpoints are kept as canonical "host:port" strings, which also key the transport's
// persistent connections, so two addresses on one process share one connection.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import type { Address } from "../../engine/io/transport.ts";

export type Endpoint = { readonly host: string; readonly port: number };

/** Longest host name accepted in an endpoint (DNS names are at most 253 characters). */
const hostLengthMax = 253;

/** "127.0.0.1:7001", "localhost:7001", "[::1]:7001" → host and port. */
export function endpointParse(text: string): Result<Endpoint> {
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text);
  const plain = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) {
    return err(ErrorCode.argumentInvalid, `endpoint '${text}' is not host:port (IPv6 as [addr]:port)`);
  }
  const host = match[1]!;
  const port = Number(match[2]);
  if (host.length > hostLengthMax) return err(ErrorCode.argumentInvalid, `endpoint '${text}': host name too long`);
  if (port < 1 || port > 65535) return err(ErrorCode.argumentInvalid, `endpoint '${text}': port must be 1..65535`);
  return ok({ host, port });
}

/** The canonical text of an endpoint, as endpointParse reads it. */
export function endpointFormat(endpoint: Endpoint): string {
  return endpoint.host.includes(":") ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

export class AddressBook {
  private readonly endpoints = new Map<Address, string>();

  /** Entries as given at start: address → "host:port". Throws on a bad endpoint. */
  constructor(entries: Readonly<Record<Address, string>> = {}) {
    for (const [address, endpoint] of Object.entries(entries)) this.set(address, endpoint);
  }

  /** Routes `address` to `endpoint` from the next send on; throws SsmsError on a bad endpoint. */
  set(address: Address, endpoint: string | Endpoint): void {
    const text = typeof endpoint === "string" ? endpoint : endpointFormat(endpoint);
    const parsed = endpointParse(text);
    if (!parsed.ok) throw new SsmsError(parsed.code, `address book entry '${address}': ${parsed.reason}`);
    if (address.length === 0) throw new SsmsError(ErrorCode.argumentInvalid, "address book: an address must not be empty");
    this.endpoints.set(address, endpointFormat(parsed.value));
  }

  delete(address: Address): boolean {
    return this.endpoints.delete(address);
  }

  /** The canonical endpoint of `address`, or undefined if the book does not know it. */
  get(address: Address): string | undefined {
    return this.endpoints.get(address);
  }

  entries(): Array<[Address, string]> {
    return [...this.endpoints];
  }

  get size(): number {
    return this.endpoints.size;
  }
}
