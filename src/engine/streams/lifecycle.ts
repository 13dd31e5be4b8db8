/**
 * StreamSpecification in CreateTable and UpdateTable: what the table's meta record says of its
 * stream, with DynamoDB's rules for changing it. The commit of that meta record opens or closes the
 * stream itself (capture.ts).
 */
import type { TableMeta } from '../catalog.js';
import { validation } from '../errors.js';
import type { Constraints } from '../shape.js';
import {
  streamDescription,
  streamLabel,
  type TableStream,
  tableStream,
  VIEW_TYPES,
  type ViewType,
} from './meta.js';

type Spec = { StreamEnabled?: boolean; StreamViewType?: string };

/** StreamSpecification as DynamoDB's request validation checks it (among the request's others). */
export function streamConstraints(c: Constraints, spec: unknown): void {
  const s = spec as Spec | undefined | null;
  if (!s) return;
  c.enumOf(s.StreamViewType, 'streamSpecification.streamViewType', VIEW_TYPES);
  c.notNull(s.StreamEnabled, 'streamSpecification.streamEnabled');
}

/** The view type given with StreamEnabled, as DynamoDB checks it after the request's validation. */
export function checkStreamSpec(s: Spec): void {
  if (s.StreamEnabled === true && !s.StreamViewType) {
    throw validation(
      'Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams.',
    );
  }
  if (s.StreamEnabled === false && s.StreamViewType) {
    throw validation(
      'Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present.',
    );
  }
}

/** Give `meta` (being written) a new enabled stream, created at `now`. */
export function enableStream(meta: TableMeta, viewType: ViewType, now: number): void {
  let at = now;
  // NOTE: labels are the creation time in ms: a stream re-enabled within the same ms takes the next.
  if (tableStream(meta) && tableStream(meta)!.label >= streamLabel(at))
    at = Date.parse(`${tableStream(meta)!.label}Z`) + 1;
  const label = streamLabel(at);
  setStream(meta, { arn: `${meta.arn}/stream/${label}`, label, viewType, enabled: true });
}

function setStream(meta: TableMeta, s: TableStream): void {
  meta.extra.stream = s;
  const d = { ...(meta.extra.description as Record<string, unknown> | undefined) };
  delete d.StreamSpecification;
  meta.extra.description = { ...d, ...streamDescription(s) };
}

/**
 * UpdateTable's StreamSpecification on `meta` (being written): enable a stream on a table that has
 * none enabled, or disable the enabled one (its records stay readable for 24 hours). NOTE:
 * DynamoDB's words; a view type is changed by disabling the stream and enabling a new one.
 */
export function updateStream(meta: TableMeta, spec: Spec, now: number): void {
  const s = tableStream(meta);
  if (spec.StreamEnabled === true) {
    if (s?.enabled) throw validation(`Table already has an enabled stream: TableName: ${meta.name}`);
    enableStream(meta, spec.StreamViewType as ViewType, now);
  } else if (spec.StreamEnabled === false) {
    if (!s?.enabled) throw validation(`Table has no stream to disable: TableName: ${meta.name}`);
    setStream(meta, { ...s, enabled: false });
  }
}
