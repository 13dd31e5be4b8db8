/** UpdateTimeToLive, sent from here alone: turn TTL on or off. */
import {
  UpdateTimeToLiveCommand,
  type UpdateTimeToLiveCommandInput,
  type UpdateTimeToLiveCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send UpdateTimeToLive; `table` names the table in error messages (default: the input's). */
export function updateTimeToLive(
  clients: Clients,
  input: UpdateTimeToLiveCommandInput,
  table: string | undefined = input.TableName,
): Promise<UpdateTimeToLiveCommandOutput> {
  return call({ operation: 'UpdateTimeToLive', ...(table ? { table } : {}), target: clients.label }, () =>
    clients.ddb.send(new UpdateTimeToLiveCommand(input)),
  );
}
