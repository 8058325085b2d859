// The stream pipeline's vocabulary. Events from several regions pass
//
//   filter/<region> → aggregate/<region> → detect/<key> → sink
//
// The filter drops invalid readings; the region's aggregator sums each key's values over
// tumbling event-time windows and, when a window closes, sends one aggregate per key to that
// key's anomaly detector; the detector scores each aggregate against the key's running mean and
// variance and sends an alert to the sink when it is far out.

/** A source event: a reading `value` of `key` in `region`, taken at `timeUs` (event time). */
export type StreamEvent = {
  readonly type: "event";
  readonly region: number;
  readonly key: number;
  readonly value: number;
  readonly timeUs: number;
};

/** A tick closes due windows even when no event arrives; the aggregator also sends itself one to go on closing. */
export type StreamTick = { readonly type: "tick" };

export type AggregatorMessage = StreamEvent | StreamTick;

/** One key's values in one region over one window. */
export type KeyAggregate = {
  readonly type: "aggregate";
  readonly region: number;
  readonly key: number;
  readonly windowStartUs: number;
  readonly count: number;
  readonly mean: number;
  /** The newest event time in the window: when the newest input of this result was taken. */
  readonly lastEventUs: number;
};

export const filterType = "filter";
export const aggregatorType = "aggregate";
export const detectorType = "detect";

/** Readings below zero are sensor error codes, not measurements. */
export function readingValid(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
