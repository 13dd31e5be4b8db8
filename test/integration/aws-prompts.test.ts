// Before anything destructive on AWS, the prompt names the account and principal (one STS
// GetCallerIdentity, before the prompt only); other commands, and --yes, make no such call. The
// UI's AWS banner shows the account the same call gives.
// "AWS" here is moto on loopback: --aws chooses the AWS target, and the SDK's own
// AWS_ENDPOINT_URL_DYNAMODB / _STS settings (of the process: the SDK reads them there) point its
// clients at moto, or at a port nobody listens on. Nothing leaves 127.0.0.1 (scripts/test.mjs runs
// the tests in a loopback-only network namespace, with fake keys and no instance-metadata look-up).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli, engineName, uniqueName } from '../helpers.js';
import { motoAvailable, startMoto, startStalled } from '../support/fakeAws.js';

const AWS = ['--aws', '--region', 'us-east-1'];
const NOBODY = 'http://127.0.0.1:9';

// NOTE: the engine under test plays no part (moto is the target): run once, on the embedded
// engine's project; and only where moto is installed.
describe.skipIf(engineName() !== 'embedded' || !motoAvailable())(
  'destructive prompts on AWS name the account',
  () => {
    let moto: Awaited<ReturnType<typeof startMoto>>;
    const table = uniqueName('acct');

    beforeAll(async () => {
      moto = await startMoto();
      const ddb = new DynamoDBClient({ region: 'us-east-1', endpoint: moto.endpoint });
      await ddb.send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      ddb.destroy();
      vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', moto.endpoint);
    }, 60_000);

    afterAll(async () => {
      vi.unstubAllEnvs();
      await moto?.close();
    });

    // NOTE: DynamoDB's requests go to moto (AWS_ENDPOINT_URL_DYNAMODB, honoured by the SDK with --aws), and the line says so.
    const via = () => `requests to ${moto.endpoint} (AWS_ENDPOINT_URL_DYNAMODB)`;
    const account = () =>
      `on AWS account 123456789012 (arn:aws:sts::123456789012:user/moto), region us-east-1, credentials from environment, ${via()}`;

    it('delete-table and truncate ask naming account, principal, region and credentials', async () => {
      vi.stubEnv('AWS_ENDPOINT_URL_STS', moto.endpoint);
      for (const [args, question] of [
        [['delete-table', table], `Delete table ${table} ${account()}, items: empty? [y/N] `],
        [['truncate', table], `Delete every item of ${table} ${account()}, items: empty? [y/N] `],
      ] as const) {
        const r = await cli([...AWS, ...args], { tty: true, stdin: 'n\n' });
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toContain(question);
      }
    });

    it('apply asks naming the account only when its plan deletes or replaces', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ddbctl-aws-apply-'));
      const spec = (key: string, more: Record<string, unknown> = {}) => {
        const file = join(dir, `${key}.json`);
        writeFileSync(
          file,
          JSON.stringify({
            TableName: table,
            KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
            BillingMode: 'PAY_PER_REQUEST',
            ...more,
          }),
        );
        return file;
      };
      vi.stubEnv('AWS_ENDPOINT_URL_STS', moto.endpoint);
      const replace = await cli([...AWS, 'apply', spec('id'), '--allow-replace'], {
        tty: true,
        stdin: 'n\n',
      });
      expect(replace.code, replace.stderr).toBe(1);
      expect(replace.stderr).toContain(`Apply 1 step to 1 table ${account()}? [y/N] `);
      // Adding a tag deletes nothing: the prompt names the target only, and STS is not asked.
      vi.stubEnv('AWS_ENDPOINT_URL_STS', NOBODY);
      const tag = await cli([...AWS, 'apply', spec('pk', { Tags: [{ Key: 'team', Value: 'a' }] })], {
        tty: true,
        stdin: 'n\n',
      });
      expect(tag.code, tag.stderr).toBe(1);
      expect(tag.stderr).toContain(
        `to 1 table on AWS us-east-1 (credentials from environment; ${via()})? [y/N] `,
      );
      rmSync(dir, { recursive: true, force: true });
    });

    it('an account that cannot be told is said in the prompt, which still asks', async () => {
      vi.stubEnv('AWS_ENDPOINT_URL_STS', NOBODY);
      const r = await cli([...AWS, 'delete-table', table], { tty: true, stdin: 'n\n' });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `Delete table ${table} on AWS us-east-1 \\(credentials from environment; requests to [^)]*\\(AWS_ENDPOINT_URL_DYNAMODB\\)\\), account unknown \\(GetCallerIdentity: cannot reach the endpoint at STS http://127\\.0\\.0\\.1:9 \\(AWS_ENDPOINT_URL_STS\\) \\(ECONNREFUSED\\)[^)]*\\), items: empty\\? \\[y/N\\] `,
        ),
      );
    });

    it('a stalled STS (accepts, never answers): the prompt still comes, in seconds, saying account unknown', async () => {
      const stalled = await startStalled();
      try {
        vi.stubEnv('AWS_ENDPOINT_URL_STS', stalled.endpoint);
        const r = await cli([...AWS, 'delete-table', table], {
          tty: true,
          stdin: 'n\n',
          env: { DDBCTL_AWS_TIMEOUT_MS: '300', AWS_MAX_ATTEMPTS: '1' },
        });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          `, account unknown (GetCallerIdentity: the endpoint at STS ${stalled.endpoint} (AWS_ENDPOINT_URL_STS) took the request but did not answer within 0.3 s (ETIMEDOUT); check that it is not stopped, paused or overloaded), items: empty? [y/N] `,
        );
      } finally {
        await stalled.close();
      }
    });

    it('a role profile with mfa_serial asks for the code on a terminal, as the AWS CLI does', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ddbctl-aws-mfa-'));
      writeFileSync(
        join(dir, 'credentials'),
        '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n',
      );
      writeFileSync(
        join(dir, 'config'),
        '[profile mfarole]\nrole_arn = arn:aws:iam::123456789012:role/mfa\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\nregion = us-east-1\n',
      );
      vi.stubEnv('AWS_ENDPOINT_URL_STS', moto.endpoint);
      const files = {
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      };
      const r = await cli(['--aws', '--profile', 'mfarole', 'whoami'], {
        tty: true,
        stdin: '123456\n',
        env: files,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('Enter MFA code for arn:aws:iam::123456789012:mfa/me: ');
      expect(r.stdout).toMatch(/\nprincipal: arn:aws:sts::123456789012:assumed-role\/mfa\//);
      // Ctrl-C instead of a code: nothing sent, one line, exit 130; Ctrl-D (the end of input): exit 1.
      for (const [key, code, why] of [
        ['\x03', 130, 'Ctrl-C'],
        ['\x04', 1, 'the input ended'],
      ] as const) {
        const stopped = await cli(['--aws', '--profile', 'mfarole', 'whoami'], {
          tty: true,
          stdin: key,
          env: files,
        });
        expect(stopped.code, stopped.stderr).toBe(code);
        expect(stopped.stderr).toContain(
          `ddbctl: error: no MFA code was given for arn:aws:iam::123456789012:mfa/me (${why}): nothing was sent; run the command again and type the code\n`,
        );
      }
      // Without a terminal there is nobody to ask: one line saying so.
      const none = await cli(['--aws', '--profile', 'mfarole', 'whoami'], { env: files });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(
        'ddbctl: error: profile mfarole needs an MFA code (mfa_serial arn:aws:iam::123456789012:mfa/me) to assume arn:aws:iam::123456789012:role/mfa: run on a terminal, or use credentials that need none',
      );
      rmSync(dir, { recursive: true, force: true });
    });

    it('other commands, and --yes, make no STS call (STS unreachable: they still succeed)', async () => {
      vi.stubEnv('AWS_ENDPOINT_URL_STS', NOBODY);
      const listed = await cli([...AWS, 'list-tables']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(table);
      const truncated = await cli([...AWS, 'truncate', table, '--yes']);
      expect(truncated.code, truncated.stderr).toBe(0);
      expect(truncated.stderr).not.toContain('account');
    });

    it('the UI banner shows the account GetCallerIdentity gives (the credentials carry none)', async () => {
      vi.stubEnv('AWS_ENDPOINT_URL_STS', moto.endpoint);
      let printed: (url: string) => void = () => {};
      const url = new Promise<string>((resolve) => {
        printed = resolve;
      });
      const run = cli([...AWS, 'ui', '--no-open'], {
        onStdout: (out) => {
          const m = /(http:\/\/\S+\?token=\S+)/.exec(out);
          if (m) printed(m[1] as string);
        },
      });
      const at = await url;
      const cookie = ((await fetch(at, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(
        ';',
      )[0];
      const answer = await fetch(`${new URL(at).origin}/api/target`, { headers: { cookie: cookie ?? '' } });
      const target = await answer.json();
      process.emit('SIGINT');
      expect((await run).code).toBe(130);
      expect(target).toMatchObject({
        kind: 'aws',
        label: `AWS us-east-1 (credentials from environment; ${via()})`,
        region: 'us-east-1',
        account: '123456789012',
      });
    });
  },
);
