import { describe, expect, it } from 'vitest';
import { credentialSource, describeTarget, onTarget, resolveTarget, type SharedFiles } from './target.js';

const none: SharedFiles = { configFile: {}, credentialsFile: {} };
const withProfile = (name: string, keys: Record<string, string>, region?: string): SharedFiles => ({
  configFile: region ? { [name]: { region } } : {},
  credentialsFile: { [name]: keys },
});

describe('resolveTarget', () => {
  it('defaults to the embedded engine when no credentials resolve', () => {
    expect(resolveTarget({}, {}, none)).toEqual({
      kind: 'embedded',
      dataDir: '.ddbctl',
      region: 'us-east-1',
    });
  });

  it('defaults to AWS when credentials resolve from the environment or a profile', () => {
    const env = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'eu-west-1' };
    expect(resolveTarget({}, env, none)).toMatchObject({
      kind: 'aws',
      region: 'eu-west-1',
      credentialsFrom: 'environment',
    });
    const files = withProfile('default', { aws_access_key_id: 'x' }, 'ap-south-1');
    expect(resolveTarget({}, {}, files)).toMatchObject({
      kind: 'aws',
      region: 'ap-south-1',
      credentialsFrom: 'profile default',
    });
  });

  it('treats empty variables as unset', () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      AWS_REGION: '',
      AWS_DEFAULT_REGION: 'ca-central-1',
    };
    expect(resolveTarget({}, env, none)).toMatchObject({ kind: 'aws', region: 'ca-central-1' });
  });

  it('asks for a region on AWS when none is configured', () => {
    const env = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' };
    expect(() => resolveTarget({}, env, none)).toThrow(/no AWS region: pass --region/);
  });

  it('--endpoint-url and the SDK endpoint variables choose an endpoint', () => {
    expect(resolveTarget({ endpointUrl: 'http://127.0.0.1:8000' }, {}, none)).toMatchObject({
      kind: 'endpoint',
      endpoint: 'http://127.0.0.1:8000',
    });
    expect(
      resolveTarget({}, { AWS_ENDPOINT_URL: 'http://b:1', AWS_ENDPOINT_URL_DYNAMODB: 'http://a:1' }, none),
    ).toMatchObject({
      endpoint: 'http://a:1',
      source: 'AWS_ENDPOINT_URL_DYNAMODB',
    });
    expect(resolveTarget({}, { AWS_ENDPOINT_URL: 'http://b:1' }, none)).toMatchObject({
      endpoint: 'http://b:1',
    });
    expect(() => resolveTarget({ endpointUrl: 'nope' }, {}, none)).toThrow(/is not a URL/);
  });

  it('--local wins over credentials; --data-dir, --memory and DDBCTL_DATA_DIR pick the data', () => {
    const env = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', DDBCTL_DATA_DIR: '/d' };
    expect(resolveTarget({ local: true }, env, none)).toMatchObject({ kind: 'embedded', dataDir: '/d' });
    expect(resolveTarget({ dataDir: '/x' }, env, none)).toMatchObject({ kind: 'embedded', dataDir: '/x' });
    expect(resolveTarget({ memory: true }, env, none)).toMatchObject({ kind: 'embedded', dataDir: null });
  });

  it('--aws and --profile choose AWS even without credentials in sight', () => {
    expect(resolveTarget({ aws: true, region: 'us-west-2' }, {}, none)).toMatchObject({
      kind: 'aws',
      region: 'us-west-2',
    });
    expect(
      resolveTarget({ profile: 'p', region: 'us-west-2' }, {}, withProfile('p', { region: 'x' })),
    ).toMatchObject({ kind: 'aws', profile: 'p', credentialsFrom: 'profile p' });
  });

  it('a profile asked for that the files do not have is the error, before a missing region', () => {
    const files = withProfile('a', { aws_access_key_id: 'k', aws_secret_access_key: 's' });
    const env = { AWS_CONFIG_FILE: '/h/config', AWS_SHARED_CREDENTIALS_FILE: '/h/credentials' };
    const missing =
      'profile nope is in neither /h/config nor /h/credentials (profiles there: a); pass one of them with --profile, or add it with "aws configure sso --profile nope" or "aws configure --profile nope"';
    expect(() => resolveTarget({ profile: 'nope' }, env, files)).toThrow(missing);
    // No profile at all: nothing to pick from, and whether the files are there at all.
    expect(() => resolveTarget({ profile: 'nope' }, env, { configFile: {}, credentialsFile: {} })).toThrow(
      'profile nope is in neither /h/config nor /h/credentials (neither file exists); add it with "aws configure sso --profile nope" or "aws configure --profile nope"',
    );
    const folder = { AWS_CONFIG_FILE: '/tmp', AWS_SHARED_CREDENTIALS_FILE: '/h/credentials' };
    expect(() => resolveTarget({ profile: 'nope' }, folder, { configFile: {}, credentialsFile: {} })).toThrow(
      'profile nope is in neither /tmp nor /h/credentials (/tmp is a folder, not a file); add it with',
    );
    // A name a shell must quote is quoted in the command to type.
    expect(() => resolveTarget({ profile: 'dev&x' }, env, { configFile: {}, credentialsFile: {} })).toThrow(
      `add it with "aws configure sso --profile 'dev&x'" or "aws configure --profile 'dev&x'"`,
    );
    // One with a space cannot be read at all (the SDK skips such sections): a name without is the fix.
    expect(() => resolveTarget({ profile: 'my dev' }, env, { configFile: {}, credentialsFile: {} })).toThrow(
      "profile 'my dev' cannot be read: the AWS SDK ddbctl uses does not read profile names with spaces (its section is skipped, in /h/config as in /h/credentials); rename it without spaces, e.g. [profile my-dev] in the config file or [my-dev] in the credentials file, and pass --profile my-dev",
    );
    const here = { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/h/credentials' };
    expect(() => resolveTarget({ profile: 'nope' }, here, { configFile: {}, credentialsFile: {} })).toThrow(
      'profile nope is in neither /dev/null nor /h/credentials (they hold no profile); add it with',
    );
    expect(() => resolveTarget({ aws: true }, { ...env, AWS_PROFILE: 'nope' }, files)).toThrow(missing);
    // Without --aws too: AWS_PROFILE naming a missing profile never falls back to the embedded engine.
    expect(() => resolveTarget({}, { ...env, AWS_PROFILE: 'nope' }, files)).toThrow(missing);
    expect(resolveTarget({ local: true }, { ...env, AWS_PROFILE: 'nope' }, files)).toMatchObject({
      kind: 'embedded',
    });
    // An endpoint signs with the named profile's credentials: a missing one is the same error.
    expect(() =>
      resolveTarget({ profile: 'nope', endpointUrl: 'http://127.0.0.1:8000' }, env, files),
    ).toThrow(missing);
    expect(() =>
      resolveTarget({ endpointUrl: 'http://127.0.0.1:8000' }, { ...env, AWS_PROFILE: 'nope' }, files),
    ).toThrow(missing);
    // The environment's keys win over AWS_PROFILE: it is not looked up.
    const envKeys = { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' };
    expect(
      resolveTarget(
        { endpointUrl: 'http://127.0.0.1:8000' },
        { ...env, ...envKeys, AWS_PROFILE: 'nope' },
        files,
      ),
    ).toMatchObject({ kind: 'endpoint' });
    expect(resolveTarget({ profile: 'a', endpointUrl: 'http://127.0.0.1:8000' }, env, files)).toMatchObject({
      kind: 'endpoint',
      profile: 'a',
    });
    // A profile that is there but holds no credentials (a region only): still AWS, by the default chain.
    const regionOnly = { configFile: { dev: { region: 'eu-west-1' } }, credentialsFile: {} };
    expect(resolveTarget({}, { AWS_PROFILE: 'dev' }, regionOnly)).toMatchObject({
      kind: 'aws',
      region: 'eu-west-1',
      credentialsFrom: 'the default credential chain',
    });
    expect(resolveTarget({}, {}, regionOnly)).toMatchObject({ kind: 'embedded' });
    // The environment's keys win over AWS_PROFILE (as the AWS CLI): no profile is looked up.
    const keys = { ...env, AWS_PROFILE: 'nope', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' };
    expect(resolveTarget({ region: 'eu-west-1' }, keys, files)).toMatchObject({
      credentialsFrom: 'environment',
    });
  });

  it('half a key pair in the environment is refused, not a quiet fall-back to the embedded engine', () => {
    for (const env of [
      { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_REGION: 'us-east-1' },
      { AWS_SECRET_ACCESS_KEY: 's' },
    ]) {
      expect(() => resolveTarget({}, env, none)).toThrow(
        /^partial credentials found in the environment, missing: /,
      );
      expect(resolveTarget({ local: true }, env, none)).toMatchObject({ kind: 'embedded' });
    }
  });

  it('an empty target flag is refused; an empty DDBCTL_DATA_DIR means unset', () => {
    for (const [flags, name] of [
      [{ dataDir: '' }, '--data-dir'],
      [{ endpointUrl: '' }, '--endpoint-url'],
      [{ region: '' }, '--region'],
      [{ profile: '' }, '--profile'],
    ] as const) {
      expect(() => resolveTarget(flags, {}, none)).toThrow(
        `${name} is empty: give a value, or leave the flag out`,
      );
    }
    for (const v of [' ', ' \t ']) {
      expect(() => resolveTarget({ dataDir: v }, {}, none)).toThrow(
        '--data-dir is blank (spaces only): give a value, or leave the flag out',
      );
      expect(() => resolveTarget({ region: v }, {}, none)).toThrow('--region is blank (spaces only)');
    }
    expect(resolveTarget({}, { DDBCTL_DATA_DIR: '' }, none)).toMatchObject({
      kind: 'embedded',
      dataDir: '.ddbctl',
    });
  });

  it('refuses contradictory flags', () => {
    expect(() => resolveTarget({ local: true, aws: true }, {}, none)).toThrow(
      /--local and --aws choose different targets/,
    );
    expect(() => resolveTarget({ aws: true, memory: true }, {}, none)).toThrow(
      /apply to the embedded engine only/,
    );
    expect(() => resolveTarget({ dataDir: 'a', memory: true }, {}, none)).toThrow(/contradict/);
  });
});

describe('credentialSource', () => {
  it('recognises SSO, processes and roles in profiles without calling anything', () => {
    const kinds: [Record<string, string>, string][] = [
      [{ sso_session: 'corp' }, 'SSO'],
      [{ sso_start_url: 'https://x', sso_account_id: '1' }, 'legacy SSO'],
      [{ credential_process: 'x' }, 'credential_process'],
      [{ role_arn: 'arn', source_profile: 'base' }, 'assume role'],
      [{ role_arn: 'arn', credential_source: 'Environment' }, 'assume role'],
      [{ role_arn: 'arn', web_identity_token_file: '/t' }, 'web identity'],
      [{ aws_access_key_id: 'k', aws_secret_access_key: 's' }, 'static keys'],
      [{ login_session: 'arn' }, 'console login'],
    ];
    for (const [section, kind] of kinds) {
      expect(credentialSource({}, { configFile: { dev: section }, credentialsFile: {} }, 'dev')).toBe(
        `profile dev, ${kind}`,
      );
    }
    // Incomplete, still meant for AWS: the provider then says what is missing.
    for (const k of ['credential_process', 'role_arn', 'web_identity_token_file', 'sso_session']) {
      expect(credentialSource({}, { configFile: { dev: { [k]: 'x' } }, credentialsFile: {} }, 'dev')).toMatch(
        /^profile dev/,
      );
    }
    expect(
      credentialSource({ AWS_PROFILE: 'dev' }, withProfile('dev', { aws_access_key_id: 'k' }), undefined),
    ).toBe('profile dev');
    expect(credentialSource({}, withProfile('dev', { region: 'x' }), 'dev')).toBeUndefined();
  });
});

describe("credentialSource follows botocore's order (create_credential_resolver)", () => {
  const web = { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:aws:iam::1:role/web' };
  const keys = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' };
  const container = { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials' };
  const files = (section: Record<string, string>): SharedFiles => withProfile('default', section);
  const staticKeys = { aws_access_key_id: 'k', aws_secret_access_key: 's' };
  const role = { role_arn: 'arn:aws:iam::1:role/r', source_profile: 'base' };

  it('env keys, then an assume-role profile, then web identity from the environment, then the profile, then container', () => {
    expect(credentialSource({ ...keys, ...web }, files(role), undefined)).toBe('environment');
    expect(credentialSource(web, files(role), undefined)).toBe('profile default, assume role');
    expect(credentialSource(web, files(staticKeys), undefined)).toBe('web identity token');
    expect(credentialSource(web, files({ sso_session: 'corp' }), undefined)).toBe('web identity token');
    expect(credentialSource(container, files(staticKeys), undefined)).toBe('profile default, static keys');
    expect(credentialSource(container, none, undefined)).toBe('container credentials');
  });

  it('--profile turns the environment off (keys and web identity), AWS_PROFILE does not', () => {
    const dev = withProfile('dev', staticKeys);
    expect(credentialSource({ ...keys, ...web }, dev, 'dev')).toBe('profile dev, static keys');
    expect(credentialSource({ ...web, AWS_PROFILE: 'dev' }, dev, undefined)).toBe('web identity token');
  });
});

describe('describeTarget', () => {
  it('never shows credentials', () => {
    const line = describeTarget({ kind: 'aws', region: 'eu-west-1', credentialsFrom: 'environment' });
    expect(line).toBe('AWS eu-west-1 (credentials from environment)');
  });

  it('with --aws, says where an AWS_ENDPOINT_URL(_DYNAMODB) sends the requests (the SDK honours it)', () => {
    const env = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'us-east-1' };
    const t = resolveTarget({ aws: true }, { ...env, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' }, none);
    expect(describeTarget(t)).toBe(
      'AWS us-east-1 (credentials from environment; requests to http://127.0.0.1:9 (AWS_ENDPOINT_URL_DYNAMODB))',
    );
    expect(describeTarget(resolveTarget({ aws: true }, env, none))).toBe(
      'AWS us-east-1 (credentials from environment)',
    );
  });
});

describe('onTarget: where a prompt says it acts', () => {
  it('names AWS with its region and credentials, the embedded engine with its data dir, an endpoint with its URL', () => {
    const env = { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'us-east-1' };
    expect(onTarget(resolveTarget({}, env, none))).toBe('on AWS us-east-1 (credentials from environment)');
    expect(onTarget(resolveTarget({ local: true }, env, none))).toBe(
      'on the embedded engine (data dir .ddbctl)',
    );
    expect(onTarget(resolveTarget({ endpointUrl: 'http://127.0.0.1:8000' }, {}, none))).toBe(
      'at endpoint http://127.0.0.1:8000 (region us-east-1)',
    );
  });
});
