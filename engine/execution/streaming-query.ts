export type { StreamingQuery } from '../../dataframe/streaming-query.js';
