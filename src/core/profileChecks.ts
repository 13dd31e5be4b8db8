/**
 * Mistakes in the shared files and the environment that the SDK's providers report badly (a
 * TypeError's text, a cycle with trust-policy advice, a missing key as an SSO login), found before
 * they run: each is one line naming the profile, what is wrong and how to fix it, as the AWS CLI
 * words them where it has words.
 */
import { DdbError } from './errors.js';
import type { SharedFiles } from './target.js';

type Env = Record<string, string | undefined>;
type Paths = { config: string; credentials: string };

/** The credential sources credential_source may name (botocore's CanonicalNameCredentialSourcer). */
const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'];

function fail(message: string): DdbError {
  return new DdbError('credentials.missing', { message });
}

/**
 * Half a key pair in the environment: refused as the AWS CLI refuses it ("Partial credentials
 * found in env"), not a silent fall-through to a profile. NOTE: botocore ignores a lone secret;
 * ddbctl refuses it too, since it can only be a mistake.
 */
export function partialEnvKeys(env: Env): DdbError | undefined {
  const id = !!env.AWS_ACCESS_KEY_ID;
  const secret = !!env.AWS_SECRET_ACCESS_KEY;
  if (id === secret) return undefined;
  const [set, missing] = id
    ? ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']
    : ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'];
  return fail(
    `partial credentials found in the environment, missing: ${missing} (${set} is set); set ${missing} too, or unset ${set} to use the shared files`,
  );
}

/**
 * What is wrong with profile `name` and the profiles it takes credentials from (source_profile),
 * before the SDK tries them; undefined when nothing is seen. `canAskMfa`: a callback can ask for an
 * MFA code (the CLI on a terminal).
 */
export function profileProblem(
  files: SharedFiles,
  name: string,
  env: Env,
  paths: Paths,
  canAskMfa: boolean,
): DdbError | undefined {
  const chain = [name];
  for (let cur = name; ; ) {
    const config = files.configFile[cur];
    const creds = files.credentialsFile[cur];
    const s = { ...config, ...creds };
    const problem = oneProfile(files, cur, s, { config, creds }, env, paths, canAskMfa);
    if (problem) return problem;
    const next = s.role_arn ? s.source_profile : undefined;
    // NOTE: a profile may name itself as source_profile when it holds keys (the AWS CLI allows it).
    if (!next || (next === cur && s.aws_access_key_id)) return undefined;
    if (chain.includes(next)) {
      return fail(
        `the source_profile settings of profile ${name} loop: ${[...chain, next].join(' → ')}; point one of them at a profile that holds credentials (keys, SSO, credential_process)`,
      );
    }
    chain.push(next);
    cur = next;
  }
}

function oneProfile(
  files: SharedFiles,
  name: string,
  s: Record<string, string | undefined>,
  where: { config?: Record<string, string | undefined>; creds?: Record<string, string | undefined> },
  env: Env,
  paths: Paths,
  canAskMfa: boolean,
): DdbError | undefined {
  if (s.role_arn && (s.source_profile || s.credential_source)) {
    if (!s.source_profile && !CREDENTIAL_SOURCES.includes(s.credential_source as string)) {
      return fail(
        `credential_source "${s.credential_source}" of profile ${name} is not a valid credential source (${CREDENTIAL_SOURCES.join(', ')}); set one of them, or use source_profile`,
      );
    }
    if (
      !s.source_profile &&
      s.credential_source === 'Environment' &&
      !(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    ) {
      return fail(
        `profile ${name} assumes ${s.role_arn} with the environment's keys (credential_source = Environment), but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set; set them, or use source_profile`,
      );
    }
    if (s.mfa_serial && !canAskMfa) {
      return fail(
        `profile ${name} needs an MFA code (mfa_serial ${s.mfa_serial}) to assume ${s.role_arn}: run on a terminal, or use credentials that need none`,
      );
    }
    return undefined;
  }
  if (s.sso_session && !files.configFile[`sso-session.${s.sso_session}`]) {
    return fail(
      `the sso-session "${s.sso_session}" that profile ${name} names does not exist in ${paths.config}; add a [sso-session ${s.sso_session}] section ("aws configure sso-session"), or fix sso_session`,
    );
  }
  if ((s.sso_session || s.sso_start_url) && !(s.sso_account_id && s.sso_role_name)) {
    const missing = ['sso_account_id', 'sso_role_name'].filter((k) => !s[k]);
    return fail(
      `profile ${name} (SSO) has no ${missing.join(' and ')}: add ${missing.length > 1 ? 'them' : 'it'} to [profile ${name}] in ${paths.config} ("aws configure sso --profile ${name}" writes them)`,
    );
  }
  // Half a key pair, and nothing else that gives credentials: the AWS CLI's "Partial credentials".
  if (
    !!s.aws_access_key_id !== !!s.aws_secret_access_key &&
    !s.credential_process &&
    !s.sso_session &&
    !s.sso_start_url
  ) {
    const missing = s.aws_access_key_id ? 'aws_secret_access_key' : 'aws_access_key_id';
    const file =
      where.creds?.aws_access_key_id || where.creds?.aws_secret_access_key ? paths.credentials : paths.config;
    return fail(
      `partial credentials found in profile ${name} of ${file}, missing: ${missing}; add it ("aws configure --profile ${name}"), or remove the other key`,
    );
  }
  return undefined;
}

/** A hint for a profile name not found: sections the SDK reads under another name, or not at all. */
export function profileNameHint(files: SharedFiles, name: string): string {
  const bare = name.replace(/^profile\s+/, '');
  if (files.credentialsFile[`profile.${bare}`]) {
    return ` (the credentials file has [profile ${bare}]: there sections are named without "profile ", as [${bare}])`;
  }
  if (bare !== name && (files.configFile[bare] || files.credentialsFile[bare])) {
    return ` (pass --profile ${bare}: "profile " is only how the config file writes section names)`;
  }
  return '';
}
