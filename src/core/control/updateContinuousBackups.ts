/** UpdateContinuousBackups, sent from here alone: turn point-in-time recovery on or off. */
import {
  UpdateContinuousBackupsCommand,
  type UpdateContinuousBackupsCommandInput,
  type UpdateContinuousBackupsCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send UpdateContinuousBackups; `table` names the table in error messages (default: the input's). */
export function updateContinuousBackups(
  clients: Clients,
  input: UpdateContinuousBackupsCommandInput,
  table: string | undefined = input.TableName,
): Promise<UpdateContinuousBackupsCommandOutput> {
  return call(
    { operation: 'UpdateContinuousBackups', ...(table ? { table } : {}), target: clients.label },
    () => clients.ddb.send(new UpdateContinuousBackupsCommand(input)),
  );
}
