/**
 * AWS credentials as the AWS CLI resolves them, through the SDK's own providers: the environment's
 * keys first (unless --profile names a profile), then the profile (--profile, else AWS_PROFILE,
 * else default) with the SDK's fromIni, which knows every kind of profile; without a profile of
 * any kind, the SDK's default chain (web identity from the environment, container, instance role).
 *
 * What is ddbctl's own is only the classification: which kind a profile is (for the target line)
 * and, when credentials do not resolve, one line naming the profile, its kind, the provider's own
 * reason and the fix for that kind.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromIni, fromNodeProviderChain, fromTokenFile } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger } from '@smithy/types';
import { DdbError } from './errors.js';
import { partialEnvKeys, profileNameHint, profileProblem } from './profileChecks.js';
import { networkCode } from './sdkErrors.js';
import type { Profiles, SharedFiles } from './target.js';
import { shellWord } from './util/shellWord.js';

type Env = Record<string, string | undefined>;

export type ProfileKind =
  | 'static keys'
  | 'SSO'
  | 'legacy SSO'
  | 'credential_process'
  | 'assume role'
  | 'web identity'
  | 'console login';

/** A profile's settings as the SDK sees them: the config file's, overridden by the credentials file's. */
export function profileSection(files: SharedFiles, name: string): Profiles[string] | undefined {
  const config = files.configFile[name];
  const creds = files.credentialsFile[name];
  return config || creds ? { ...config, ...creds } : undefined;
}

/**
 * The kind of profile `name` is, in the order the SDK's fromIni tries them (resolveProfileData);
 * undefined when it is not there or holds no credentials (only a region, half a key pair).
 */
export function profileKind(files: SharedFiles, name: string): ProfileKind | undefined {
  const s = profileSection(files, name);
  if (!s) return undefined;
  if (s.role_arn && (s.source_profile || s.credential_source)) return 'assume role';
  if (s.aws_access_key_id && s.aws_secret_access_key) return 'static keys';
  if (s.web_identity_token_file && s.role_arn) return 'web identity';
  if (s.credential_process) return 'credential_process';
  if (s.sso_session) return 'SSO';
  if (s.sso_start_url || s.sso_account_id || s.sso_role_name || s.sso_region) return 'legacy SSO';
  if (s.login_session) return 'console login';
  return undefined;
}

/** The shared files' paths, as the SDK reads them: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws. */
export function sharedFilePaths(env: Env): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'),
  };
}

/** The shared config and credentials files (no files: no profiles). */
export async function readSharedFiles(env: Env): Promise<SharedFiles> {
  const paths = sharedFilePaths(env);
  try {
    const f = await loadSharedConfigFiles({
      ignoreCache: true,
      filepath: paths.credentials,
      configFilepath: paths.config,
    });
    return {
      configFile: f.configFile as Profiles,
      credentialsFile: f.credentialsFile as Profiles,
    };
  } catch {
    return { configFile: {}, credentialsFile: {} };
  }
}

/** The keys `env` gives, read as the SDK's fromEnv reads them from the process; undefined without a pair. */
export function envCredentials(env: Env): AwsCredentialIdentity | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(env.AWS_CREDENTIAL_SCOPE ? { credentialScope: env.AWS_CREDENTIAL_SCOPE } : {}),
    ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
  };
}

/**
 * Where credentials come from, in botocore's order (create_credential_resolver): the environment's
 * keys (unless --profile names a profile); an assume-role profile; a web identity from the
 * environment (unless --profile); the profile (SSO, keys, credential_process, ...); container
 * credentials; else nothing known (the SDK's chain: the instance role). The target line and the
 * resolution both follow it, so the line names the source actually used.
 */
export type CredentialSource =
  | { from: 'environment' }
  | { from: 'web identity'; tokenFile: string; roleArn: string }
  | { from: 'profile'; name: string; kind: ProfileKind | undefined }
  | { from: 'container' }
  | { from: 'chain'; name: string };

export function chooseSource(env: Env, files: SharedFiles, profile: string | undefined): CredentialSource {
  if (!profile && envCredentials(env)) return { from: 'environment' };
  const name = profile || env.AWS_PROFILE || 'default';
  const kind = profileKind(files, name);
  if (kind === 'assume role') return { from: 'profile', name, kind };
  if (!profile && env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    return { from: 'web identity', tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE, roleArn: env.AWS_ROLE_ARN };
  }
  if (kind) return { from: 'profile', name, kind };
  // Half a profile (a key without its secret, a role without its source) is still meant for AWS:
  // the credentials then fail with the reason instead of writing to the embedded engine.
  const s = profileSection(files, name);
  if (s && CREDENTIAL_KEYS.some((k) => s[k])) return { from: 'profile', name, kind: undefined };
  if (!profile && (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) {
    return { from: 'container' };
  }
  return { from: 'chain', name };
}

// Keys that show a profile is meant as a source of credentials, even when incomplete.
const CREDENTIAL_KEYS = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'credential_process',
  'role_arn',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
  'login_session',
];

/** For people: where `source`'s credentials come from ("profile dev, SSO"); undefined for nothing known. */
export function sourceWords(source: CredentialSource): string | undefined {
  switch (source.from) {
    case 'environment':
      return 'environment';
    case 'web identity':
      return 'web identity token';
    case 'container':
      return 'container credentials';
    case 'profile':
      return source.kind ? `profile ${source.name}, ${source.kind}` : `profile ${source.name}`;
    case 'chain':
      return undefined;
  }
}

/** How long the providers' own calls (SSO portal, STS) may take: a stalled endpoint is an error, not a hang. */
export interface AuthTimeouts {
  /** Milliseconds to connect. */
  connectMs: number;
  /** Milliseconds for an answer once connected (the socket idle). */
  responseMs: number;
}

export const AUTH_TIMEOUTS: AuthTimeouts = { connectMs: 5000, responseMs: 10_000 };

export interface CredentialOptions {
  /** Default AUTH_TIMEOUTS. */
  timeouts?: AuthTimeouts;
  /**
   * Asks for the code of an MFA device (its serial), for a role profile with mfa_serial: the CLI's
   * terminal prompt. Absent: such a profile fails with a line saying so (nobody to ask).
   */
  mfaCode?: (mfaSerial: string) => Promise<string>;
  /**
   * Told, once credentials resolve, where from and by which of the SDK's providers (never a key):
   * "credentials from profile dev, SSO, by @aws-sdk/credential-provider-sso" (--debug).
   */
  onResolved?: (line: string) => void;
}

/** The request handler settings of the providers' inner SSO and STS clients. */
export function authClientConfig(t: AuthTimeouts) {
  // NOTE: without throwOnRequestTimeout the SDK's handler only warns when requestTimeout passes.
  return {
    requestHandler: {
      connectionTimeout: t.connectMs,
      requestTimeout: t.responseMs,
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * The SDK's providers, in the AWS CLI's order (chooseSource), over `env`. On failure it throws
 * credentials.missing with one line (credentialError); its cause lists the chain as tried (the
 * providers' names and reasons, never a key, token or process output) for --debug.
 */
export function awsCredentials(
  profile: string | undefined,
  env: Env,
  opts: CredentialOptions = {},
): AwsCredentialIdentityProvider {
  // NOTE: as the AWS CLI: --profile wins over the environment's keys, which win over AWS_PROFILE
  // (the SDK's chain would take AWS_PROFILE first, with a warning).
  const keys = !profile && envCredentials(env);
  if (keys) {
    return async () => {
      opts.onResolved?.('credentials from environment (AWS_ACCESS_KEY_ID), by ddbctl');
      return keys;
    };
  }
  const named = profile || env.AWS_PROFILE || undefined;
  const clientConfig = authClientConfig(opts.timeouts ?? AUTH_TIMEOUTS);
  return async (props) => {
    const partial = !profile && partialEnvKeys(env);
    if (partial) throw partial;
    const trail: string[] = [];
    const logger = trailLogger(trail);
    const files = await readSharedFiles(env);
    const paths = sharedFilePaths(env);
    const source = chooseSource(env, files, profile);
    const resolved = (c: AwsCredentialIdentity) => {
      const names = trail
        .filter((l) => l.startsWith('@aws-sdk/credential-provider'))
        .map((l) => l.split(' ')[0]);
      const by = [...new Set(names)].join(' → ') || 'the SDK';
      opts.onResolved?.(
        `credentials from ${sourceWords(source) ?? 'the default credential chain'}, by ${by}`,
      );
      return c;
    };
    if (source.from === 'web identity') {
      try {
        return resolved(
          await fromTokenFile({
            webIdentityTokenFile: source.tokenFile,
            roleArn: source.roleArn,
            ...(env.AWS_ROLE_SESSION_NAME ? { roleSessionName: env.AWS_ROLE_SESSION_NAME } : {}),
            clientConfig,
            logger,
          })(props),
        );
      } catch (e) {
        throw webIdentityError(e, source, trail);
      }
    }
    const name = named ?? 'default';
    const kind = profileKind(files, name);
    if (named && !profileSection(files, name)) throw missingProfile(name, files, paths);
    const problem = profileSection(files, name) && profileProblem(files, name, env, paths, !!opts.mfaCode);
    if (problem) throw problem;
    const init = {
      profile: name,
      filepath: paths.credentials,
      configFilepath: paths.config,
      logger,
      clientConfig,
      ...(opts.mfaCode ? { mfaCodeProvider: opts.mfaCode } : {}),
    };
    try {
      // A profile of a known kind is used alone, as the AWS CLI does: its failure is the answer,
      // not a reason to try the instance role.
      return resolved(await (kind ? fromIni(init) : fromNodeProviderChain(init))(props));
    } catch (e) {
      throw credentialError(e, { profile: name, named: !!named, kind, files, paths, trail });
    }
  };
}

/** The chain as tried, for --debug: the cause of a credentials error. */
function trailOf(trail: string[], e: unknown): Error {
  return new Error(
    `credential chain as tried:\n${trail.map((l) => `  ${l}`).join('\n') || '  (nothing logged)'}`,
    { cause: e },
  );
}

function webIdentityError(
  e: unknown,
  s: CredentialSource & { from: 'web identity' },
  trail: string[],
): DdbError {
  if (e instanceof DdbError) return e;
  return new DdbError('credentials.missing', {
    message: `no AWS credentials from the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE (role ${s.roleArn}): ${reasonOf(e).replace(/\.$/, '')}; ${unanswered(e) ? unansweredFix('web identity') : `check the token file ${s.tokenFile} and that role ${s.roleArn} trusts its issuer`}`,
    cause: trailOf(trail, e),
  });
}

/** A logger that keeps the first line of each of the providers' debug lines (names and reasons). */
function trailLogger(trail: string[]): Logger {
  const keep = (...args: unknown[]) => {
    const line = String(args[0] ?? '').split('\n')[0] as string;
    if (/^@(aws-sdk|smithy)\/(credential-provider|property-provider|token-providers)/.test(line)) {
      trail.push(line);
    }
  };
  return { debug: keep, info: () => {}, warn: () => {}, error: () => {} };
}

interface Failure {
  profile: string;
  /** The profile was asked for (--profile, AWS_PROFILE), not the default one. */
  named: boolean;
  kind: ProfileKind | undefined;
  files: SharedFiles;
  paths: { config: string; credentials: string };
  trail: string[];
}

function profilesIn(files: SharedFiles): string[] {
  return [...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)])]
    .filter((p) => !p.includes('.'))
    .sort();
}

export function missingProfile(name: string, files: SharedFiles, paths: Failure['paths']): DdbError {
  const names = profilesIn(files);
  // NOTE: with no profile at all, "pass one of them" has nothing to offer: the files are missing
  // (a machine never configured) or hold none.
  const folder = [paths.config, paths.credentials].find((p) =>
    statSync(p, { throwIfNoEntry: false })?.isDirectory(),
  );
  const there = names.length
    ? `profiles there: ${names.join(', ')}`
    : folder
      ? `${folder} is a folder, not a file`
      : existsSync(paths.config) || existsSync(paths.credentials)
        ? 'they hold no profile'
        : 'neither file exists';
  const pass = names.length ? 'pass one of them with --profile, or ' : '';
  // The name as a shell reads it back, without the config file's "profile " (profileNameHint says so).
  const bare = name.replace(/^profile\s+/, '');
  const word = shellWord(bare);
  // NOTE: the SDK skips a config section whose name has a space: whether the file has one or not,
  // the way on is a name without.
  if (/\s/.test(bare)) {
    const renamed = bare.trim().replace(/\s+/g, '-') || 'default';
    return new DdbError('credentials.missing', {
      message: `profile ${word} cannot be read: the AWS SDK ddbctl uses does not read profile names with spaces (its section is skipped, in ${paths.config} as in ${paths.credentials}); rename it without spaces, e.g. [profile ${renamed}] in the config file or [${renamed}] in the credentials file, and pass --profile ${shellWord(renamed)}`,
    });
  }
  return new DdbError('credentials.missing', {
    message: `profile ${name} is in neither ${paths.config} nor ${paths.credentials}${profileNameHint(files, name)} (${there}); ${pass}add it with "aws configure sso --profile ${word}" or "aws configure --profile ${word}"`,
  });
}

/** The first line of a provider's reason, without a trailing period. */
function firstLine(s: string): string {
  return (s.split('\n')[0] as string).trim();
}

/** The fix for a failure of a profile of `kind`, given the provider's reason. */
function fixFor(kind: ProfileKind | undefined, profile: string, reason: string, files: SharedFiles): string {
  const s = profileSection(files, profile) ?? {};
  switch (kind) {
    case 'SSO':
    case 'legacy SSO':
      if (/token|expired|session|unauthori[sz]ed/i.test(reason)) {
        return `run "aws sso login --profile ${profile}", then the command again`;
      }
      return `check sso_account_id and sso_role_name of profile ${profile}: the SSO portal refused the role`;
    case 'credential_process':
      return `run that command by hand to see why (ddbctl shows only the first line of its stderr, never its output)`;
    case 'assume role': {
      const source = s.source_profile;
      if (source && !profileSection(files, source)) {
        return `profile ${source} (its source_profile) is not in the shared files: add it, or point source_profile at a profile that is`;
      }
      const sourceKind = source ? profileKind(files, source) : undefined;
      if (
        source &&
        source !== profile &&
        sourceKind &&
        sourceKind !== 'assume role' &&
        sourceKind !== 'static keys'
      ) {
        const inner = fixFor(sourceKind, source, reason, files);
        if (!/^check sso_account_id/.test(inner) || /SSO/.test(reason)) return inner;
      }
      return `check that ${source ? `the credentials of profile ${source}` : `the ${s.credential_source} credentials`} may assume ${s.role_arn} (sts:AssumeRole, and the role's trust policy)`;
    }
    case 'web identity':
      return `check the token file ${s.web_identity_token_file} and that role ${s.role_arn} trusts its issuer`;
    case 'console login':
      return `run "aws login --profile ${profile}", then the command again`;
    case 'static keys':
    case undefined:
      return `add credentials with "aws configure --profile ${profile}" (or "aws configure sso --profile ${profile}"), pass another --profile, or use --local for the embedded engine`;
  }
}

/** What a profile of `kind` is, for the error line: "SSO", "assume role arn:... from profile base". */
function kindWords(kind: ProfileKind, files: SharedFiles, profile: string): string {
  const s = profileSection(files, profile) ?? {};
  switch (kind) {
    case 'SSO':
      return `SSO, sso_session ${s.sso_session}`;
    case 'credential_process':
      return `credential_process`;
    case 'assume role':
      return `assume role ${s.role_arn} ${s.source_profile ? `from profile ${s.source_profile}` : `with credential_source ${s.credential_source}`}`;
    case 'web identity':
      return `web identity, role ${s.role_arn}`;
    default:
      return kind;
  }
}

/** The provider's reason, shortened for one line: a failed command's first stderr line, not its output. */
function reasonOf(e: unknown): string {
  const raw = (e as { message?: string })?.message ?? String(e);
  // NOTE: node's exec: "Command failed: <command>\n<stderr>"; the SDK passes it on as its message.
  const failed = /^Command failed: (.*)\n([^\n]*)/.exec(raw);
  if (failed) {
    const stderr = (failed[2] as string).trim();
    return `the command failed: ${failed[1]}${stderr ? ` (stderr: ${stderr})` : ''}`;
  }
  const net = unanswered(e);
  if (net) {
    const said = firstLine(raw).replace(/^(TimeoutError: )?@smithy\/node-http-handler - (\[ERROR\] )?/, '');
    return `${said || 'no answer'} (${net})`;
  }
  // NOTE: the SDK's token provider, for a cached token that expires within 5 minutes (or has
  // expired) and holds no refresh token, says only what the cache lacks.
  if (
    /^Value not present for '(clientId|clientSecret|refreshToken)' in SSO Token\. Cannot refresh/.test(raw)
  ) {
    return 'the cached SSO token has expired (or expires within 5 minutes) and cannot be refreshed';
  }
  // NOTE: the SDK's SSO reasons end in a generic "To refresh this SSO session run aws sso login with
  // the corresponding profile."; the fix ddbctl gives names the profile.
  return firstLine(raw).replace(/\s*To refresh this SSO session run .*$/, '');
}

/**
 * The network code of a provider's call that got no answer. NOTE: the SDK's SSO provider passes a
 * failure on as a CredentialsProviderError whose message is the original's "name: message" and
 * which has no cause: a time-out is known there by its name only.
 */
function unanswered(e: unknown): string | undefined {
  const net = networkCode(e);
  if (net) return net;
  const raw = (e as { message?: string })?.message ?? '';
  return /^TimeoutError: /.test(raw)
    ? 'ETIMEDOUT'
    : /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH)\b/.exec(raw)?.[1];
}

/** The fix when the provider's own call (SSO portal, STS) got no answer: the network, not the profile. */
function unansweredFix(kind: ProfileKind | undefined): string {
  const service = kind === 'SSO' || kind === 'legacy SSO' ? 'SSO portal' : 'STS';
  const variable = service === 'STS' ? 'AWS_ENDPOINT_URL_STS' : 'AWS_ENDPOINT_URL_SSO';
  return `the ${service} did not answer: check the network connection (and ${variable} when set), then retry`;
}

/** One line for credentials that did not resolve; the chain as tried in its cause (for --debug). */
export function credentialError(e: unknown, f: Failure): DdbError {
  if (e instanceof DdbError) return e;
  const reason = reasonOf(e);
  const trail = trailOf(f.trail, e);
  if (!f.kind && !f.named) {
    return new DdbError('credentials.missing', {
      message: `no AWS credentials found in the environment, the shared files or the instance role${/^Could not load credentials from any providers/.test(reason) ? '' : ` (${reason})`}; run "aws configure", pass --profile, or use --local for the embedded engine`,
      cause: trail,
    });
  }
  const what = f.kind
    ? `profile ${f.profile} (${kindWords(f.kind, f.files, f.profile)})`
    : `profile ${f.profile}`;
  const because = f.kind
    ? reason
    : `it has no credentials in ${f.paths.config} or ${f.paths.credentials} (${reason})`;
  return new DdbError('credentials.missing', {
    message: `no AWS credentials from ${what}: ${because.replace(/\.$/, '')}; ${unanswered(e) ? unansweredFix(f.kind) : fixFor(f.kind, f.profile, reason, f.files)}`,
    cause: trail,
  });
}
