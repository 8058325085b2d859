// The LogDevice seam: an append-only byte log with an explicit durability point.
//
// Offsets are absolute byte positions that grow forever; truncating the prefix does not renumber.
// Contract (every implementation, checked by log-device.contract.ts):
// - `append(bytes)` adds bytes at the tail and returns the offset where they start. Appended
//   bytes are readable at once but not durable. The device copies them: the caller may reuse
//   `bytes` as soon as append returns.
// - `flush(callback)` makes every byte appended before the call durable, then calls
//   `callback(null)`; on a device failure it calls `callback(error)` and nothing is promised.
//   The callback may run synchronously inside `flush` (memory device) or later (file, sim);
//   callers must tolerate both. Flushes complete in the order they were requested.
// - `durableEnd()` is the end of the durable prefix; `end()` the end of what was appended;
//   `begin()` the first offset still stored.
// - After a crash, reopening the device yields a log that holds at least every flushed byte and
//   at most every appended byte; the unflushed tail may be missing or torn (partially written or
//   garbled). Cutting the tail at the last valid record is the reader's job (engine/darq).
// - `read(offset, length)` returns a copy of stored bytes in [begin, end); reading outside is a
//   programmer error.
// - `truncatePrefix(offset)` drops bytes before `offset` (space reclaim after compaction);
//   `truncateTail(offset)` cuts bytes from `offset` on (recovery of a torn tail) and is durable
//   when it returns. Either may be called while flushes are pending: their callbacks still come,
//   in order, and bytes that were cut never count as durable.
// Implementations: LogDeviceMemory (engine/io), LogDeviceFile (engine/io/node), LogDeviceSim (sim).

export interface LogDevice {
  append(bytes: Uint8Array): number;
  flush(callback: (error: Error | null) => void): void;
  begin(): number;
  end(): number;
  durableEnd(): number;
  read(offset: number, length: number): Uint8Array;
  truncatePrefix(offset: number): void;
  truncateTail(offset: number): void;
  close(): void;
}
