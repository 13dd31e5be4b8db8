/** PutResourcePolicy, sent from here alone: put a resource-based policy. */
import {
  PutResourcePolicyCommand,
  type PutResourcePolicyCommandInput,
  type PutResourcePolicyCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send PutResourcePolicy; `table` names the table in error messages. */
export function putResourcePolicy(
  clients: Clients,
  input: PutResourcePolicyCommandInput,
  table?: string,
): Promise<PutResourcePolicyCommandOutput> {
  return call({ operation: 'PutResourcePolicy', ...(table ? { table } : {}), target: clients.label }, () =>
    clients.ddb.send(new PutResourcePolicyCommand(input)),
  );
}
