/** DescribeTimeToLive, sent from here alone: read the TTL setting. */
import {
  DescribeTimeToLiveCommand,
  type DescribeTimeToLiveCommandInput,
  type DescribeTimeToLiveCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/**
 * Send DescribeTimeToLive; `table` names the table in error messages (default: the input's);
 * `signal` aborts the request.
 */
export function describeTimeToLive(
  clients: Clients,
  input: DescribeTimeToLiveCommandInput,
  table: string | undefined = input.TableName,
  signal?: AbortSignal,
): Promise<DescribeTimeToLiveCommandOutput> {
  const command = new DescribeTimeToLiveCommand(input);
  return call({ operation: 'DescribeTimeToLive', ...(table ? { table } : {}), target: clients.label }, () =>
    signal ? clients.ddb.send(command, { abortSignal: signal }) : clients.ddb.send(command),
  );
}
