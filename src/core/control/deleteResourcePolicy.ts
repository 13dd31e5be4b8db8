/** DeleteResourcePolicy, sent from here alone: delete the resource-based policy. */
import {
  DeleteResourcePolicyCommand,
  type DeleteResourcePolicyCommandInput,
  type DeleteResourcePolicyCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send DeleteResourcePolicy; `table` names the table in error messages. */
export function deleteResourcePolicy(
  clients: Clients,
  input: DeleteResourcePolicyCommandInput,
  table?: string,
): Promise<DeleteResourcePolicyCommandOutput> {
  return call({ operation: 'DeleteResourcePolicy', ...(table ? { table } : {}), target: clients.label }, () =>
    clients.ddb.send(new DeleteResourcePolicyCommand(input)),
  );
}
