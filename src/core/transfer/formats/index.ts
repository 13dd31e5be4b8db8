/**
 * Streaming item readers and writers for import and export: ndjson (default), json (one array,
 * read element by element), csv (RFC 4180, typed columns) and ddb-json (DynamoDB's S3 export).
 */
export { type CsvType, parseTypes } from './csv.js';
export { FORMATS, type Format, formatFromPath } from './format.js';
export { type ReadOptions, type ReadRecord, readItemBatches, readItems } from './read.js';
export {
  createItemWriter,
  type EncodedPage,
  type ItemWriter,
  type WriteReject,
  type WriterOptions,
} from './write.js';
