import { Command } from '@commander-js/extra-typings';
import { chooseSource, envCredentials, readSharedFiles } from '../../core/credentials.js';
import { callerIdentity } from '../../core/identity.js';
import { describeTarget } from '../../core/target.js';
import { type Cli, type GlobalOptions, notice, openResolved, resolveFlags } from '../context.js';
import { render } from '../output/render.js';

export default function whoamiCommand(cli: Cli) {
  return new Command('whoami')
    .description(
      'Show the target; on AWS also the account, region, principal and where the credentials came from (one call) [API: STS GetCallerIdentity, on AWS only]',
    )
    .action(async (_opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const target = await resolveFlags(cli, g);
      const line = describeTarget(target);
      if (target.kind !== 'aws') {
        // Nothing to ask: the embedded engine and an endpoint have no account.
        const why =
          target.kind === 'embedded'
            ? 'the embedded engine runs in this process; nothing is sent to AWS'
            : `whoami asks AWS's STS only; requests to ${target.endpoint} are signed with ${await endpointSigner(cli, target.profile)}`;
        render(cli, g, {
          kind: 'report',
          json: { target: line, kind: target.kind, region: target.region, account: null },
          people: [`target: ${line}`, `account: none (${why})`],
        });
        return;
      }
      // The target line is printed below: the opener's notice of it would say it twice. When the
      // credentials or STS fail, it is said first (on stderr), so the error has its target.
      let open: Awaited<ReturnType<typeof openResolved>> | undefined;
      try {
        open = await openResolved(cli, { ...g, quiet: true }, target);
        const id = await callerIdentity(open.clients);
        render(cli, g, {
          kind: 'report',
          json: {
            target: line,
            kind: 'aws',
            region: target.region,
            account: id.account,
            principal: id.arn,
            userId: id.userId,
            credentialsFrom: target.credentialsFrom,
          },
          people: [
            `target: ${line}`,
            `account: ${id.account}`,
            `region: ${target.region}`,
            `principal: ${id.arn}`,
            `credentials: ${target.credentialsFrom}`,
          ],
        });
      } catch (e) {
        notice(cli, g, `target: ${line}`);
        throw e;
      } finally {
        await open?.close();
      }
    });
}

/**
 * What signs an endpoint's requests, as clients.ts (localCredentials) chooses it: a profile named
 * (--profile, or AWS_PROFILE without keys in the environment) that has credentials of its own, else
 * the environment's or the default profile's keys, else placeholders. NOTE: what the endpoint then
 * checks is its own (LocalStack or Alternator may check keys).
 */
async function endpointSigner(cli: Cli, profile: string | undefined): Promise<string> {
  const env = cli.io.env;
  const named = profile || (!envCredentials(env) ? env.AWS_PROFILE : undefined);
  const fallback = 'the keys of the environment or the default profile, else placeholders';
  if (!named) return fallback;
  const source = chooseSource(env, await readSharedFiles(env), named);
  return source.from === 'profile'
    ? `the credentials of profile ${named}`
    : `${fallback} (profile ${named} has no credentials of its own)`;
}
