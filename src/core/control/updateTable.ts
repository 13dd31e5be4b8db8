/** UpdateTable, sent from here alone: the planner (spec/) builds its input, one kind of change per call. */
import {
  UpdateTableCommand,
  type UpdateTableCommandInput,
  type UpdateTableCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send UpdateTable; `table` names the table in error messages (default: the input's). */
export function updateTable(
  clients: Clients,
  input: UpdateTableCommandInput,
  table: string | undefined = input.TableName,
): Promise<UpdateTableCommandOutput> {
  return call({ operation: 'UpdateTable', ...(table ? { table } : {}), target: clients.label }, () =>
    clients.ddb.send(new UpdateTableCommand(input)),
  );
}
