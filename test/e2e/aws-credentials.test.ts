// AWS credentials as AWS CLI users have them (issue 19): every profile kind in a fake ~/.aws of a
// temporary HOME, the built binary run with the SDK pointed at loopback stand-ins (moto's STS, a
// fake SSO portal) through its AWS_ENDPOINT_URL_* settings. Nothing leaves 127.0.0.1: the run is in
// scripts/test.mjs's loopback-only network namespace, the instance-metadata look-up is off, and
// every command run is whoami, whose only calls (SSO, STS) are set to loopback endpoints.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoAvailable, startMoto, startSsoPortal, startStalled } from '../support/fakeAws.js';
import { ddbctl, removeTempDirs, tempDir } from './binary.js';

const TOKEN = 'sso-access-token-not-a-secret';
const ROLE_KEYS = {
  accessKeyId: 'ASIASSOROLE',
  secretAccessKey: 'sso-role-secret',
  sessionToken: 'sso-session-token',
};

// NOTE: moto is Python's; a machine without it cannot run these (said, not hidden).
describe.skipIf(!motoAvailable())(
  'AWS credentials: each profile kind, its target line or its one-line error',
  () => {
    let home: string;
    let moto: Awaited<ReturnType<typeof startMoto>>;
    let portal: Awaited<ReturnType<typeof startSsoPortal>>;
    let stalled: Awaited<ReturnType<typeof startStalled>>;

    const cache = (key: string, token: Record<string, unknown>) =>
      writeFileSync(
        join(home, '.aws/sso/cache', `${createHash('sha1').update(key).digest('hex')}.json`),
        JSON.stringify(token),
      );

    beforeAll(async () => {
      [moto, portal, stalled] = await Promise.all([
        startMoto(),
        startSsoPortal(TOKEN, ROLE_KEYS),
        startStalled(),
      ]);
      home = tempDir('ddbctl-aws-home-');
      writeFileSync(join(home, 'web-token'), 'a-web-identity-token');
      mkdirSync(join(home, '.aws/sso/cache'), { recursive: true });
      writeFileSync(
        join(home, 'ok.sh'),
        `echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret"}'\n`,
      );
      writeFileSync(
        join(home, 'fail.sh'),
        'echo "the vault is sealed" >&2\necho "second line" >&2\necho STDOUT-SECRET\nexit 3\n',
      );
      writeFileSync(
        join(home, '.aws/credentials'),
        '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n',
      );
      writeFileSync(
        join(home, '.aws/config'),
        [
          '[sso-session corp]',
          'sso_start_url = https://corp.example.com/start',
          'sso_region = eu-west-1',
          '[sso-session other]',
          'sso_start_url = https://other.example.com/start',
          'sso_region = eu-west-1',
          '[sso-session stale]',
          'sso_start_url = https://stale.example.com/start',
          'sso_region = eu-west-1',
          '[profile dev]',
          'sso_session = corp',
          'sso_account_id = 111122223333',
          'sso_role_name = ReadOnly',
          'region = eu-west-1',
          '[profile newbie]',
          'sso_session = other',
          'sso_account_id = 111122223333',
          'sso_role_name = ReadOnly',
          'region = eu-west-1',
          '[profile stale]',
          'sso_session = stale',
          'sso_account_id = 111122223333',
          'sso_role_name = ReadOnly',
          'region = eu-west-1',
          '[profile legacy]',
          'sso_start_url = https://legacy.example.com/start',
          'sso_region = us-east-1',
          'sso_account_id = 111122223333',
          'sso_role_name = Admin',
          'region = us-east-1',
          '[profile proc]',
          `credential_process = sh ${join(home, 'ok.sh')}`,
          'region = us-east-1',
          '[profile procfail]',
          `credential_process = sh ${join(home, 'fail.sh')}`,
          'region = us-east-1',
          '[profile deployer]',
          'role_arn = arn:aws:iam::123456789012:role/deployer',
          'source_profile = base',
          'region = eu-central-1',
          '[profile wid]',
          'role_arn = arn:aws:iam::123456789012:role/web',
          `web_identity_token_file = ${join(home, 'web-token')}`,
          'region = us-west-2',
          '[profile widgone]',
          'role_arn = arn:aws:iam::123456789012:role/web',
          `web_identity_token_file = ${join(home, 'no-such-token')}`,
          'region = us-west-2',
          '[profile envrole]',
          'role_arn = arn:aws:iam::123456789012:role/fromenv',
          'credential_source = Environment',
          'region = us-west-1',
          '[profile ssodeployer]',
          'role_arn = arn:aws:iam::123456789012:role/deployer',
          'source_profile = newbie',
          'region = eu-central-1',
          // Mistakes the SDK reports badly (issue 19's acceptance): each gets its own fix.
          '[profile missingsession]',
          'sso_session = nosuch',
          'sso_account_id = 111122223333',
          'sso_role_name = ReadOnly',
          '[profile loopa]',
          'role_arn = arn:aws:iam::123456789012:role/a',
          'source_profile = loopb',
          '[profile loopb]',
          'role_arn = arn:aws:iam::123456789012:role/b',
          'source_profile = loopa',
          '[profile badsource]',
          'role_arn = arn:aws:iam::123456789012:role/x',
          'credential_source = Bogus',
          '[profile ssoincomplete]',
          'sso_session = corp',
          '[profile halfkey]',
          'aws_access_key_id = AKIDHALF',
          '[profile mfarole]',
          'role_arn = arn:aws:iam::123456789012:role/mfa',
          'source_profile = base',
          'mfa_serial = arn:aws:iam::123456789012:mfa/me',
          '[profile regiononly]',
          'region = eu-west-2',
        ].join('\n'),
      );
      cache('corp', { accessToken: TOKEN, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
      cache('stale', { accessToken: 'old', expiresAt: new Date(Date.now() - 3_600_000).toISOString() });
      cache('https://legacy.example.com/start', {
        accessToken: 'old',
        expiresAt: new Date(Date.now() - 3_600_000).toISOString(),
        region: 'us-east-1',
        startUrl: 'https://legacy.example.com/start',
      });
    }, 60_000);

    afterAll(async () => {
      await Promise.all([moto?.close(), portal?.close(), stalled?.close()]);
      removeTempDirs();
    });

    /** The environment of a user with only ~/.aws; the SDK's endpoints on loopback. */
    function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
      const e: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) e[k] = v;
      return {
        ...e,
        HOME: home,
        NO_COLOR: '1',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_ENDPOINT_URL_STS: moto.endpoint,
        AWS_ENDPOINT_URL_SSO: portal.endpoint,
        AWS_ENDPOINT_URL_SSO_OIDC: portal.endpoint,
        ...extra,
      };
    }

    /**
     * whoami on the AWS target: it resolves the credentials, then calls STS alone (moto). Every case
     * runs whoami, so no DynamoDB request is ever made (its endpoint would be AWS's).
     */
    const whoami = (args: string[], extra?: Record<string, string>) =>
      ddbctl(['--aws', ...args, 'whoami'], env(extra));

    const errorLine = (stderr: string) =>
      stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('ddbctl: target:'));

    it('SSO (sso_session) with a valid cached token: whoami names account, region, principal and the profile', async () => {
      const r = await whoami(['--profile', 'dev']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n').slice(0, 5)).toEqual([
        'target: AWS eu-west-1 (credentials from profile dev, SSO)',
        'account: 123456789012',
        'region: eu-west-1',
        expect.stringMatching(/^principal: arn:aws:sts::123456789012:/),
        'credentials: profile dev, SSO',
      ]);
      // The portal was asked for the profile's role, with the cached token.
      expect(
        portal.requests.some(
          (u) => u.includes('role_name=ReadOnly') && u.includes('account_id=111122223333'),
        ),
      ).toBe(true);
    });

    it('AWS_PROFILE chooses an SSO profile as the default target (no --aws): it is a credential source', async () => {
      const r = await ddbctl(['whoami'], env({ AWS_PROFILE: 'dev' }));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^target: AWS eu-west-1 \(credentials from profile dev, SSO\)\n/);
    });

    it('SSO with no token cached: the profile, the reason, and "aws sso login --profile P"', async () => {
      const r = await ddbctl(['--profile', 'newbie', 'whoami'], env());
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(errorLine(r.stderr)).toEqual([
        'ddbctl: error: no AWS credentials from profile newbie (SSO, sso_session other): The SSO session token associated with profile=newbie was not found or is invalid; run "aws sso login --profile newbie", then the command again',
      ]);
      expect(r.stderr).not.toContain('aws configure');
    });

    it('SSO with an expired token, both forms', async () => {
      const stale = await ddbctl(['--profile', 'stale', 'whoami'], env());
      expect(stale.code).toBe(1);
      expect(errorLine(stale.stderr)).toEqual([
        'ddbctl: error: no AWS credentials from profile stale (SSO, sso_session stale): the cached SSO token has expired (or expires within 5 minutes) and cannot be refreshed; run "aws sso login --profile stale", then the command again',
      ]);
      const legacy = await ddbctl(['--profile', 'legacy', 'whoami'], env());
      expect(legacy.code).toBe(1);
      expect(errorLine(legacy.stderr)).toEqual([
        'ddbctl: error: no AWS credentials from profile legacy (legacy SSO): The SSO session associated with this profile has expired; run "aws sso login --profile legacy", then the command again',
      ]);
    });

    it('credential_process that succeeds, and one that fails: the command and its stderr, never its stdout', async () => {
      const ok = await whoami(['--profile', 'proc']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(
        /^target: AWS us-east-1 \(credentials from profile proc, credential_process\)\naccount: 123456789012\n/,
      );
      const fail = await ddbctl(['--profile', 'procfail', '--debug', 'whoami'], env());
      expect(fail.code).toBe(1);
      expect(fail.stderr.split('\n').filter((l) => l.startsWith('ddbctl: error:'))).toEqual([
        `ddbctl: error: no AWS credentials from profile procfail (credential_process): the command failed: sh ${join(home, 'fail.sh')} (stderr: the vault is sealed); run that command by hand to see why (ddbctl shows only the first line of its stderr, never its output)`,
      ]);
      // --debug: the chain as tried, by provider; no output of the process, no key.
      expect(fail.stderr).toContain(
        'credential chain as tried:\n  @aws-sdk/credential-provider-ini - fromIni\n',
      );
      expect(fail.stderr).not.toContain('STDOUT-SECRET');
    });

    it('assume role with a source profile, against moto STS; and its failure names the role and the fix for its source', async () => {
      const ok = await whoami(['--profile', 'deployer']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(
        /^target: AWS eu-central-1 \(credentials from profile deployer, assume role\)\naccount: 123456789012\nregion: eu-central-1\nprincipal: arn:aws:sts::123456789012:assumed-role\/deployer\//,
      );
      const fail = await ddbctl(['--profile', 'ssodeployer', 'whoami'], env());
      expect(fail.code).toBe(1);
      expect(errorLine(fail.stderr)).toEqual([
        'ddbctl: error: no AWS credentials from profile ssodeployer (assume role arn:aws:iam::123456789012:role/deployer from profile newbie): The SSO session token associated with profile=newbie was not found or is invalid; run "aws sso login --profile newbie", then the command again',
      ]);
    });
    it('web identity (profile web_identity_token_file + role_arn), against moto STS; a token file that is not there', async () => {
      const ok = await whoami(['--profile', 'wid']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(
        /^target: AWS us-west-2 \(credentials from profile wid, web identity\)\naccount: 123456789012\nregion: us-west-2\nprincipal: arn:aws:sts::123456789012:assumed-role\/web\//,
      );
      const gone = await ddbctl(['--profile', 'widgone', 'whoami'], env());
      expect(gone.code).toBe(1);
      expect(errorLine(gone.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^ddbctl: error: no AWS credentials from profile widgone \\(web identity, role arn:aws:iam::123456789012:role/web\\): .*no-such-token.*; check the token file ${join(home, 'no-such-token')} and that role arn:aws:iam::123456789012:role/web trusts its issuer$`,
          ),
        ),
      ]);
    });

    it('assume role with credential_source = Environment: the environment keys are the source, --profile the role', async () => {
      const r = await whoami(['--profile', 'envrole'], {
        AWS_ACCESS_KEY_ID: 'AKIDENVSRC',
        AWS_SECRET_ACCESS_KEY: 'env-src-secret',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /^target: AWS us-west-1 \(credentials from profile envrole, assume role\)\naccount: 123456789012\nregion: us-west-1\nprincipal: arn:aws:sts::123456789012:assumed-role\/fromenv\//,
      );
    });

    it('a profile that is not there: the files read and the profiles they have', async () => {
      const r = await ddbctl(['--profile', 'prod', 'whoami'], env());
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        `ddbctl: error: profile prod is in neither ${join(home, '.aws/config')} nor ${join(home, '.aws/credentials')} (profiles there: badsource, base, deployer, dev, envrole, halfkey, legacy, loopa, loopb, mfarole, missingsession, newbie, proc, procfail, regiononly, ssodeployer, ssoincomplete, stale, wid, widgone); pass one of them with --profile, or add it with "aws configure sso --profile prod" or "aws configure --profile prod"`,
      ]);
    });

    it('the environment keys come first; whoami -o json', async () => {
      const r = await ddbctl(
        ['--aws', '-o', 'json', 'whoami'],
        env({
          AWS_ACCESS_KEY_ID: 'AKIDENVKEY',
          AWS_SECRET_ACCESS_KEY: 'env-secret',
          AWS_REGION: 'ap-south-1',
          AWS_PROFILE: 'prod',
        }),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        target: 'AWS ap-south-1 (credentials from environment)',
        kind: 'aws',
        region: 'ap-south-1',
        account: '123456789012',
        principal: 'arn:aws:sts::123456789012:user/moto',
        userId: expect.any(String),
        credentialsFrom: 'environment',
      });
      expect(r.stdout + r.stderr).not.toContain('env-secret');
    });

    it('whoami on the embedded engine and on an endpoint: says so, no AWS call', async () => {
      const embedded = await ddbctl(['--memory', 'whoami'], env());
      expect(embedded.stdout).toBe(
        'target: embedded engine (in memory, nothing kept)\naccount: none (the embedded engine runs in this process; nothing is sent to AWS)\n',
      );
      // An endpoint that nobody listens on: whoami still answers, since it sends nothing. What signs
      // its requests (clients.ts): the environment's or default profile's keys, a named profile's
      // credentials, or for a profile with a region alone the former again.
      const signedWith = async (profile: string[]) => {
        const r = await ddbctl(['--endpoint-url', 'http://127.0.0.1:9', ...profile, 'whoami'], env());
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      };
      expect(await signedWith([])).toBe(
        "target: endpoint http://127.0.0.1:9 (region us-east-1)\naccount: none (whoami asks AWS's STS only; requests to http://127.0.0.1:9 are signed with the keys of the environment or the default profile, else placeholders)\n",
      );
      expect(await signedWith(['--profile', 'base'])).toContain(
        "account: none (whoami asks AWS's STS only; requests to http://127.0.0.1:9 are signed with the credentials of profile base)\n",
      );
      expect(await signedWith(['--profile', 'regiononly'])).toContain(
        'are signed with the keys of the environment or the default profile, else placeholders (profile regiononly has no credentials of its own))\n',
      );
    });

    it('web identity from the environment comes before the default profile (botocore order), and the line names it', async () => {
      writeFileSync(
        join(home, 'credentials-default'),
        '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n',
      );
      writeFileSync(
        join(home, 'config-ssodefault'),
        '[sso-session other]\nsso_start_url = https://other.example.com/start\nsso_region = eu-west-1\n[default]\nsso_session = other\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n',
      );
      const web = {
        AWS_WEB_IDENTITY_TOKEN_FILE: join(home, 'web-token'),
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/webenv',
        AWS_REGION: 'us-east-1',
      };
      for (const files of <Record<string, string>[]>[
        { AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials-default') },
        { AWS_CONFIG_FILE: join(home, 'config-ssodefault') },
      ]) {
        const r = await ddbctl(['--debug', 'whoami'], env({ ...web, ...files }));
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(
          'ddbctl: debug: credentials from web identity token, by @aws-sdk/credential-provider-web-identity\n',
        );
        expect(r.stdout).toMatch(
          /^target: AWS us-east-1 \(credentials from web identity token\)\naccount: 123456789012\nregion: us-east-1\nprincipal: arn:aws:sts::123456789012:assumed-role\/webenv\//,
        );
      }
      // --profile names a profile: the environment's web identity is not used (as the AWS CLI).
      // --debug says which provider answered (no key).
      const named = await whoami(['--debug', '--profile', 'base', '--region', 'us-east-1'], web);
      expect(named.code, named.stderr).toBe(0);
      expect(named.stderr).toContain(
        'ddbctl: debug: credentials from profile base, static keys, by @aws-sdk/credential-provider-ini\n',
      );
      expect(named.stderr).not.toContain('base-secret');
      expect(named.stdout).toMatch(/\nprincipal: arn:aws:sts::123456789012:user\/moto\n/);
      expect(named.stdout).toContain('credentials: profile base, static keys');
    });

    it('half a key pair in the environment is refused, not a quiet fall-through to the default profile', async () => {
      const files = {
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials-default'),
        AWS_REGION: 'us-east-1',
      };
      writeFileSync(
        join(home, 'credentials-default'),
        '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n',
      );
      const id = await ddbctl(['whoami'], env({ ...files, AWS_ACCESS_KEY_ID: 'AKIDLONE' }));
      expect(id.code).toBe(1);
      expect(errorLine(id.stderr)).toEqual([
        'ddbctl: error: partial credentials found in the environment, missing: AWS_SECRET_ACCESS_KEY (AWS_ACCESS_KEY_ID is set); set AWS_SECRET_ACCESS_KEY too, or unset AWS_ACCESS_KEY_ID to use the shared files',
      ]);
      // Refused while the target is decided: no target line, and never the embedded engine.
      expect(id.stderr).not.toContain('ddbctl: target:');
      const secret = await ddbctl(['whoami'], env({ ...files, AWS_SECRET_ACCESS_KEY: 'lone-secret' }));
      expect(secret.code).toBe(1);
      expect(errorLine(secret.stderr)).toEqual([
        'ddbctl: error: partial credentials found in the environment, missing: AWS_ACCESS_KEY_ID (AWS_SECRET_ACCESS_KEY is set); set AWS_ACCESS_KEY_ID too, or unset AWS_SECRET_ACCESS_KEY to use the shared files',
      ]);
      expect(secret.stderr).not.toContain('lone-secret');
    });

    it('mistakes in the profiles: each one line with its own fix, never the trust policy or aws sso login', async () => {
      const config = join(home, '.aws/config');
      const expectations: [string, string][] = [
        [
          'missingsession',
          `the sso-session "nosuch" that profile missingsession names does not exist in ${config}; add a [sso-session nosuch] section ("aws configure sso-session"), or fix sso_session`,
        ],
        [
          'loopa',
          'the source_profile settings of profile loopa loop: loopa → loopb → loopa; point one of them at a profile that holds credentials (keys, SSO, credential_process)',
        ],
        [
          'badsource',
          'credential_source "Bogus" of profile badsource is not a valid credential source (Environment, Ec2InstanceMetadata, EcsContainer); set one of them, or use source_profile',
        ],
        [
          'ssoincomplete',
          `profile ssoincomplete (SSO) has no sso_account_id and sso_role_name: add them to [profile ssoincomplete] in ${config} ("aws configure sso --profile ssoincomplete" writes them)`,
        ],
        [
          'halfkey',
          `partial credentials found in profile halfkey of ${config}, missing: aws_secret_access_key; add it ("aws configure --profile halfkey"), or remove the other key`,
        ],
        [
          'envrole',
          "profile envrole assumes arn:aws:iam::123456789012:role/fromenv with the environment's keys (credential_source = Environment), but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set; set them, or use source_profile",
        ],
        [
          'mfarole',
          'profile mfarole needs an MFA code (mfa_serial arn:aws:iam::123456789012:mfa/me) to assume arn:aws:iam::123456789012:role/mfa: run on a terminal, or use credentials that need none',
        ],
      ];
      for (const [profile, message] of expectations) {
        const r = await ddbctl(['--profile', profile, '--region', 'us-east-1', 'whoami'], env());
        expect(r.code, profile).toBe(1);
        expect(errorLine(r.stderr), profile).toEqual([`ddbctl: error: ${message}`]);
      }
    });

    it('a stalled STS or SSO portal (accepts, never answers): a one-line error in seconds, not a hang', async () => {
      const fast = { DDBCTL_AWS_TIMEOUT_MS: '300', AWS_MAX_ATTEMPTS: '1' };
      const sts = await whoami(['--profile', 'base', '--region', 'us-east-1'], {
        ...fast,
        AWS_ENDPOINT_URL_STS: stalled.endpoint,
      });
      expect(sts.code).toBe(1);
      expect(errorLine(sts.stderr)).toEqual([
        `ddbctl: error: GetCallerIdentity: the endpoint at STS ${stalled.endpoint} (AWS_ENDPOINT_URL_STS) took the request but did not answer within 0.3 s (ETIMEDOUT); check that it is not stopped, paused or overloaded`,
      ]);
      // The role profile's AssumeRole (the SDK's inner STS client) is bounded too.
      const role = await whoami(['--profile', 'deployer'], {
        ...fast,
        AWS_ENDPOINT_URL_STS: stalled.endpoint,
      });
      expect(role.code).toBe(1);
      expect(errorLine(role.stderr)).toEqual([
        expect.stringMatching(
          /^ddbctl: error: no AWS credentials from profile deployer \(assume role arn:aws:iam::123456789012:role\/deployer from profile base\): .*\(ETIMEDOUT\); the STS did not answer: check the network connection \(and AWS_ENDPOINT_URL_STS when set\), then retry$/,
        ),
      ]);
      const web = await ddbctl(
        ['--aws', '--region', 'us-east-1', 'whoami'],
        env({
          ...fast,
          AWS_ENDPOINT_URL_STS: stalled.endpoint,
          AWS_WEB_IDENTITY_TOKEN_FILE: join(home, 'web-token'),
          AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/webenv',
        }),
      );
      expect(web.code).toBe(1);
      expect(errorLine(web.stderr)).toEqual([
        expect.stringMatching(
          /^ddbctl: error: no AWS credentials from the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE \(role arn:aws:iam::123456789012:role\/webenv\): .*\(ETIMEDOUT\); the STS did not answer: check the network connection \(and AWS_ENDPOINT_URL_STS when set\), then retry$/,
        ),
      ]);
      const sso = await whoami(['--profile', 'dev'], { ...fast, AWS_ENDPOINT_URL_SSO: stalled.endpoint });
      expect(sso.code).toBe(1);
      expect(errorLine(sso.stderr)).toEqual([
        expect.stringMatching(
          /^ddbctl: error: no AWS credentials from profile dev \(SSO, sso_session corp\): .*\(ETIMEDOUT\); the SSO portal did not answer: check the network connection \(and AWS_ENDPOINT_URL_SSO when set\), then retry$/,
        ),
      ]);
    });

    it('profile names the SDK does not read: a name with a space, [profile x] in the credentials file', async () => {
      const credentials = join(home, 'credentials-names');
      writeFileSync(
        credentials,
        '[with space]\naws_access_key_id = AKIDSPACE\naws_secret_access_key = s\n[profile credpref]\naws_access_key_id = AKIDPREF\naws_secret_access_key = s\n',
      );
      const files = { AWS_SHARED_CREDENTIALS_FILE: credentials };
      const config = join(home, '.aws/config');
      const space = await ddbctl(['--profile', 'with space', 'whoami'], env(files));
      expect(space.code).toBe(1);
      expect(space.stderr).toContain(
        `ddbctl: error: profile 'with space' cannot be read: the AWS SDK ddbctl uses does not read profile names with spaces (its section is skipped, in ${config} as in ${credentials}); rename it without spaces, e.g. [profile with-space] in the config file or [with-space] in the credentials file, and pass --profile with-space`,
      );
      for (const name of ['credpref', 'profile credpref']) {
        const r = await ddbctl(['--profile', name, 'whoami'], env(files));
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          `ddbctl: error: profile ${name} is in neither ${config} nor ${credentials} (the credentials file has [profile credpref]: there sections are named without "profile ", as [credpref]) (profiles there:`,
        );
      }
    });
  },
);
