// The Transport seam: best-effort message delivery between addresses.
//
// Contract (checked by transport.contract.ts):
// - `send` never blocks and never throws for network faults: a message may be delayed, lost,
//   duplicated or reordered (the simulated network does all four; TCP only delays). Exactly-once
//   delivery is built above this seam by the DARQ out-sender (retries + dedup).
// - A message sent to an address nobody listens on is dropped.
// - `listen` handlers are called asynchronously, never inside `send`.
// - `sizeBytes` is the message's size on the wire; the simulator charges bandwidth and transfer
//   prices by it, live transports encode the message and ignore it.
// Messages are plain data (msgpack-encodable: objects, arrays, numbers, strings, Uint8Array).

export type Address = string;

export type TransportHandler = (from: Address, message: unknown) => void;

export interface Transport {
  send(from: Address, to: Address, message: unknown, sizeBytes: number): void;
  listen(address: Address, handler: TransportHandler): void;
  unlisten(address: Address): void;
  /**
   * Optional: put the messages sent so far on the wire now. A transport that gathers a turn's
   * sends into frames writes them when the turn ends; a caller about to run long synchronous work
   * (a handler computing for real) flushes first, so what may leave does not wait for the work.
   */
  flush?(): void;
}
