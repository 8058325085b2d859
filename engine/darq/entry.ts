// The values a processor sees and submits: entries (the unconsumed messages of a logical DARQ)
// and steps (the atomic unit of work). Entries are numbered by LSN, the physical DARQ's entry
// sequence number: every SELF, IN and OUT record gets the next LSN when it is appended, so LSNs
// grow by one per entry and are never reused, also across compaction (a checkpoint keeps the
// original LSN of every entry it carries forward).

/** Log sequence number of an entry; 1 is the first, 0 means "none". */
export type Lsn = number;

export const EntryKind = {
  /** A state-update message written by a step of the same logical DARQ. */
  self: 1,
  /** A message from an external producer or from another logical DARQ. */
  in: 2,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/**
 * One unconsumed message of a logical DARQ. Entries are shared with the DARQ: treat them and
 * their bodies as read-only.
 */
export class Entry {
  constructor(
    readonly lsn: Lsn,
    readonly kind: EntryKind,
    readonly body: Uint8Array,
    /** For IN: the producer id (external) or source logical DARQ id; "" for SELF. */
    readonly from: string,
    /** True when `from` is a logical DARQ (a FIFO out-sender), false for external producers. */
    readonly fromDarq: boolean,
    /** For IN: the producer's sequence number or the per-pair sequence number; 0 for SELF. */
    readonly seq: number,
  ) {}
}

/** A message to another logical DARQ, staged by a step. */
export type OutMessage = {
  readonly to: string;
  readonly body: Uint8Array;
};

/**
 * A step: consume some durable entries of one logical DARQ, append self-messages and send
 * out-messages, all or nothing. The DARQ keeps references to the byte arrays of a submitted
 * step (no copy): do not mutate them afterwards.
 */
export type Step = {
  readonly logicalDarq: string;
  readonly incarnation: number;
  readonly consumed: readonly Lsn[];
  readonly self: readonly Uint8Array[];
  readonly out: readonly OutMessage[];
};

/** Limits of one step's shape, checked before anything is appended. */
export const stepCountMax = 1 << 20;
