/** DescribeContinuousBackups, sent from here alone: read point-in-time recovery. */
import {
  DescribeContinuousBackupsCommand,
  type DescribeContinuousBackupsCommandInput,
  type DescribeContinuousBackupsCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send DescribeContinuousBackups; `table` names the table in error messages (default: the input's). */
export function describeContinuousBackups(
  clients: Clients,
  input: DescribeContinuousBackupsCommandInput,
  table: string | undefined = input.TableName,
): Promise<DescribeContinuousBackupsCommandOutput> {
  return call(
    { operation: 'DescribeContinuousBackups', ...(table ? { table } : {}), target: clients.label },
    () => clients.ddb.send(new DescribeContinuousBackupsCommand(input)),
  );
}
