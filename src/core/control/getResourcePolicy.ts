/** GetResourcePolicy, sent from here alone: read the resource-based policy. */
import {
  GetResourcePolicyCommand,
  type GetResourcePolicyCommandInput,
  type GetResourcePolicyCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send GetResourcePolicy; `table` names the table in error messages. */
export function getResourcePolicy(
  clients: Clients,
  input: GetResourcePolicyCommandInput,
  table?: string,
): Promise<GetResourcePolicyCommandOutput> {
  return call({ operation: 'GetResourcePolicy', ...(table ? { table } : {}), target: clients.label }, () =>
    clients.ddb.send(new GetResourcePolicyCommand(input)),
  );
}
