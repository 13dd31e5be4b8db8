import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsCredentials, profileKind } from './credentials.js';
import { DdbError } from './errors.js';

// Each case resolves with the SDK's own providers over fake shared files; nothing is sent (the
// failures here are decided before any request: no token cached, a process that fails, no profile).
describe('awsCredentials: one line naming the profile, its kind, the reason and the fix', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ddbctl-creds-'));
    env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
    writeFileSync(
      env.AWS_SHARED_CREDENTIALS_FILE as string,
      '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n',
    );
    writeFileSync(
      join(dir, 'fail.sh'),
      'echo "session expired, log in again" >&2\necho more >&2\necho STDOUT-SECRET\nexit 3\n',
    );
    writeFileSync(
      env.AWS_CONFIG_FILE as string,
      [
        '[profile proc]',
        `credential_process = sh ${join(dir, 'fail.sh')} --sso`,
        '[profile okproc]',
        `credential_process = sh -c 'echo "{\\"Version\\": 1, \\"AccessKeyId\\": \\"AKIDPROC\\", \\"SecretAccessKey\\": \\"s\\"}"'`,
        '[profile orphan]',
        'role_arn = arn:aws:iam::123456789012:role/x',
        'source_profile = ghost',
        '[profile half]',
        'region = eu-west-1',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function failure(profile: string | undefined, more: Record<string, string> = {}): Promise<DdbError> {
    const e = await awsCredentials(profile, { ...env, ...more })().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DdbError);
    return e as DdbError;
  }

  it('credential_process: the command, the first line of its stderr, never its stdout', async () => {
    const e = await failure('proc');
    expect(e.code).toBe('credentials.missing');
    expect(e.message).toBe(
      `no AWS credentials from profile proc (credential_process): the command failed: sh ${join(dir, 'fail.sh')} --sso (stderr: session expired, log in again); run that command by hand to see why (ddbctl shows only the first line of its stderr, never its output)`,
    );
    // --debug shows the cause chain: the providers as tried, still without the process's output.
    const trail = String((e.cause as Error).message);
    expect(trail).toMatch(/^credential chain as tried:\n {2}@aws-sdk\/credential-provider-ini - fromIni/);
    expect(trail).not.toContain('STDOUT-SECRET');
  });

  it('credential_process that succeeds; AWS_PROFILE names it', async () => {
    expect(await awsCredentials(undefined, { ...env, AWS_PROFILE: 'okproc' })()).toMatchObject({
      accessKeyId: 'AKIDPROC',
    });
  });

  it('a profile that is not there: the files read and the profiles they have', async () => {
    expect((await failure('nope')).message).toBe(
      `profile nope is in neither ${env.AWS_CONFIG_FILE} nor ${env.AWS_SHARED_CREDENTIALS_FILE} (profiles there: base, half, okproc, orphan, proc); pass one of them with --profile, or add it with "aws configure sso --profile nope" or "aws configure --profile nope"`,
    );
  });

  it('a profile name with a space: the SDK skips such sections, so the fix is a name without', async () => {
    expect((await failure('my prof')).message).toBe(
      `profile 'my prof' cannot be read: the AWS SDK ddbctl uses does not read profile names with spaces (its section is skipped, in ${env.AWS_CONFIG_FILE} as in ${env.AWS_SHARED_CREDENTIALS_FILE}); rename it without spaces, e.g. [profile my-prof] in the config file or [my-prof] in the credentials file, and pass --profile my-prof`,
    );
  });

  it('assume role from a source profile that is not there: the role, the source, the fix', async () => {
    expect((await failure('orphan')).message).toBe(
      'no AWS credentials from profile orphan (assume role arn:aws:iam::123456789012:role/x from profile ghost): Could not resolve credentials using profile: [ghost] in configuration/credentials file(s); profile ghost (its source_profile) is not in the shared files: add it, or point source_profile at a profile that is',
    );
  });

  it('a profile with no credentials in it: then "aws configure" is the fix', async () => {
    const e = await failure('half', { AWS_EC2_METADATA_DISABLED: 'true' });
    expect(e.message).toMatch(
      new RegExp(
        `^no AWS credentials from profile half: it has no credentials in ${env.AWS_CONFIG_FILE} or ${env.AWS_SHARED_CREDENTIALS_FILE} \\(.+\\); add credentials with "aws configure --profile half"`,
      ),
    );
  });

  it('kinds, as the SDK tries them', () => {
    const files = {
      configFile: {
        r: { role_arn: 'a', source_profile: 'b', aws_access_key_id: 'k', aws_secret_access_key: 's' },
      },
      credentialsFile: { s: { aws_access_key_id: 'k' } },
    };
    expect(profileKind(files, 'r')).toBe('assume role');
    expect(profileKind(files, 's')).toBeUndefined();
    expect(profileKind(files, 'none')).toBeUndefined();
  });
});
