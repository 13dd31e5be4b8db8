/**
 * Which AWS account and principal a target's credentials are: one GetCallerIdentity (it needs no
 * permission). Asked only by whoami, before a destructive prompt on AWS and by the UI's banner:
 * other commands make no extra call.
 */
import type { Clients } from './clients.js';
import { DdbError } from './errors.js';
import { call } from './sdkErrors.js';
import type { Target } from './target.js';

export interface CallerIdentity {
  account: string;
  /** The principal: a user's, an assumed role's (its session) or the root's ARN. */
  arn: string;
  userId: string;
}

/** GetCallerIdentity with the target's credentials and region. */
export async function callerIdentity(clients: Clients): Promise<CallerIdentity> {
  if (!clients.sts) {
    throw new DdbError('engine.unsupported', { message: `${clients.label} has no STS to say whose it is` });
  }
  // STS's module is loaded here, for the few commands that ask (not at every command's start).
  const [sts, { GetCallerIdentityCommand }] = await Promise.all([
    clients.sts(),
    import('@aws-sdk/client-sts'),
  ]);
  const r = await call({ operation: 'GetCallerIdentity', target: clients.stsLabel ?? clients.label }, () =>
    sts.send(new GetCallerIdentityCommand({})),
  );
  return { account: r.Account ?? '', arn: r.Arn ?? '', userId: r.UserId ?? '' };
}

/**
 * The AWS account a command is about to touch, for people, the same way everywhere (whoami, the
 * prompts, the UI): `AWS account 123456789012 (arn:...), region us-east-1, credentials from profile dev, SSO`.
 */
export function describeAccount(t: Target & { kind: 'aws' }, id: CallerIdentity): string {
  return `AWS account ${id.account} (${id.arn}), region ${t.region}, credentials from ${t.credentialsFrom}${t.endpoint ? `, requests to ${t.endpoint.url} (${t.endpoint.source})` : ''}`;
}
