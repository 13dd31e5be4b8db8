/** A live table (DescribeTable and what it does not report) in spec form. */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { DdbError } from '../../errors.js';
import { readAwsTable } from './awsFormat.js';
import { type Fail, formatPath } from './fields.js';
import type { TableSpec } from './types.js';

/** What DescribeTable does not report; undefined = unknown (the endpoint cannot say). */
export interface LiveExtras {
  tags?: Record<string, string>;
  ttl?: { attribute: string } | null;
  pitr?: boolean;
  /** GetResourcePolicy: the policy, or null when the table has none. */
  resourcePolicy?: string | null;
}

/**
 * The live state of a table in spec form. `desc` is DescribeTable's `Table`; what DescribeTable
 * does not report comes from `extras` (ListTagsOfResource, DescribeTimeToLive,
 * DescribeContinuousBackups). Absent extras: tags `{}`, ttl and pitr unknown (undefined).
 * Stream, deletion protection and table class are always definite (off / false / STANDARD).
 */
export function specFromDescription(desc: TableDescription, extras: LiveExtras): TableSpec {
  const fail: Fail = (path, message) => {
    throw new DdbError('service.error', {
      message: `DescribeTable ${desc.TableName ?? '(no name)'} returned an unexpected description: ${formatPath(path)}: ${message}`,
    });
  };
  const { spec } = readAwsTable(desc, [], { fail, strict: false, description: true });
  spec.tags = { ...(extras.tags ?? {}) };
  if (extras.ttl !== undefined) spec.ttl = extras.ttl === null ? null : { attribute: extras.ttl.attribute };
  if (extras.pitr !== undefined) spec.pitr = extras.pitr;
  if (extras.resourcePolicy !== undefined) spec.resourcePolicy = extras.resourcePolicy;
  return spec;
}
