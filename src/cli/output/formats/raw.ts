/**
 * -o raw: one JSON value a line in DynamoDB's own shapes: items as DynamoDB JSON, a DescribeTable's
 * Table, ...; an answer that is ddbctl's own (a plan, a summary) prints its ndjson lines.
 */
import { stringifyDdbJson, stringifyJson } from '../../../core/data/codec.js';
import { rawItem } from '../result.js';
import { lineRenderer } from './ndjson.js';
import type { Renderer } from './renderer.js';

export const raw: Renderer = lineRenderer({
  item: (item) => stringifyJson(rawItem(item)),
  streamed: (item) => stringifyDdbJson(item),
  report: (r) => r.raw ?? r.lines ?? [r.json],
});
