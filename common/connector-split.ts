/**
 * One unit of work of a connector scan: plain JSON data (numbers, strings, booleans,
 * arrays, objects) that a connector's split reader understands, e.g. a Kafka
 * topic-partition with an offset range and the client settings. Splits travel to worker
 * threads by structured clone, so they hold no functions, class instances or bigints.
 */
export type ConnectorSplit = { readonly [key: string]: SplitValue };

/** A JSON value inside a {@link ConnectorSplit}. */
export type SplitValue = null | boolean | number | string | readonly SplitValue[] | { readonly [key: string]: SplitValue };
