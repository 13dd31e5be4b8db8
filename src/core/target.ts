/**
 * Where commands run. Deciding the target is pure over what it is given: flags, the environment
 * and the shared config/credentials files. It never touches the network (no instance-metadata
 * look-up), so the default is decided the same way with or without a connection.
 */
import {
  chooseSource,
  envCredentials,
  missingProfile,
  profileSection,
  sharedFilePaths,
  sourceWords,
} from './credentials.js';
import { DdbError } from './errors.js';
import { partialEnvKeys } from './profileChecks.js';

export type Target =
  /** The embedded engine: ddbctl's own, in this process; `dataDir: null` keeps nothing (`--memory`). */
  | { kind: 'embedded'; dataDir: string | null; region: string }
  /** Any DynamoDB-compatible endpoint (DynamoDB Local, LocalStack, Alternator, `ddbctl serve`). */
  | { kind: 'endpoint'; endpoint: string; region: string; profile?: string; source: string }
  /**
   * Amazon DynamoDB through the standard credential chain. `endpoint`: an AWS_ENDPOINT_URL(_DYNAMODB)
   * the SDK sends the requests to even with --aws (as the AWS CLI does), said in the target line.
   */
  | {
      kind: 'aws';
      region: string;
      profile?: string;
      credentialsFrom: string;
      endpoint?: { url: string; source: string };
    };

export interface TargetFlags {
  endpointUrl?: string;
  local?: boolean;
  aws?: boolean;
  region?: string;
  profile?: string;
  dataDir?: string;
  memory?: boolean;
}

/** A profile section of the shared files, as @smithy's loadSharedConfigFiles returns it. */
export type Profiles = Record<string, Record<string, string | undefined>>;
export interface SharedFiles {
  configFile: Profiles;
  credentialsFile: Profiles;
}

export const DEFAULT_DATA_DIR = '.ddbctl';
/** NOTE: the embedded engine has one region in effect; this is what ARNs and the banner show. */
export const EMBEDDED_DEFAULT_REGION = 'us-east-1';

/**
 * Where credentials would come from, in the AWS CLI's order (credentials.ts chooseSource), or
 * undefined when the standard chain has nothing known (no IMDS look-up): "profile dev, SSO".
 */
export function credentialSource(
  env: Record<string, string | undefined>,
  files: SharedFiles,
  profile: string | undefined,
): string | undefined {
  return sourceWords(chooseSource(env, files, profile));
}

function regionFrom(
  flags: TargetFlags,
  env: Record<string, string | undefined>,
  files: SharedFiles,
): string | undefined {
  const name = flags.profile ?? env.AWS_PROFILE ?? 'default';
  // NOTE: an empty variable (AWS_REGION=) means unset, as it does to the SDK.
  const sources: [string, string | undefined][] = [
    ['--region', flags.region],
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION],
    [`the region of profile ${name}`, files.configFile[name]?.region],
  ];
  const found = sources.find(([, v]) => v);
  if (found) checkRegion(found[1] as string, found[0]);
  return found?.[1];
}

// NOTE: the SDK's own rule for a region (a host name label): it refuses anything else only when a
// request is built, as "Region not accepted"; checked here, before anything is opened.
const REGION_RE = /^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$/;

function checkRegion(region: string, source: string): void {
  if (REGION_RE.test(region)) return;
  usage(
    `${source} ${JSON.stringify(region)} is not a region name: use letters, digits and hyphens, such as us-east-1`,
  );
}

function usage(message: string): never {
  throw new DdbError('usage.invalid', { message });
}

/** Decide the target from flags, environment and shared files; never touches the network. */
export function resolveTarget(
  flags: TargetFlags,
  env: Record<string, string | undefined>,
  files: SharedFiles,
): Target {
  const chosen = [
    flags.endpointUrl && '--endpoint-url',
    flags.local && '--local',
    flags.aws && '--aws',
  ].filter(Boolean);
  if (chosen.length > 1) usage(`${chosen.join(' and ')} choose different targets: pass only one of them`);
  // NOTE: an empty value is a script's unset variable ("--data-dir $DIR"): refused, not read as
  // absent; one of spaces alone too (`--data-dir " "` would make a folder named " ").
  for (const [flag, v] of [
    ['--data-dir', flags.dataDir],
    ['--endpoint-url', flags.endpointUrl],
    ['--region', flags.region],
    ['--profile', flags.profile],
  ] as const) {
    if (v !== undefined && v.trim() === '') {
      usage(`${flag} is ${v === '' ? 'empty' : 'blank (spaces only)'}: give a value, or leave the flag out`);
    }
  }
  if ((flags.dataDir || flags.memory) && (flags.endpointUrl || flags.aws)) {
    usage('--data-dir and --memory apply to the embedded engine only: drop them, or use --local');
  }
  if (flags.dataDir && flags.memory) usage('--data-dir and --memory contradict each other: pass one of them');
  const region = regionFrom(flags, env, files);
  const profile = flags.profile;

  const embedded = (): Target => ({
    kind: 'embedded',
    // NOTE: DDBCTL_DATA_DIR= (empty) means unset, as an empty AWS_REGION does.
    dataDir: flags.memory ? null : (flags.dataDir ?? (env.DDBCTL_DATA_DIR || DEFAULT_DATA_DIR)),
    region: region ?? EMBEDDED_DEFAULT_REGION,
  });
  const endpoint = (url: string, source: string): Target => {
    checkUrl(url, source);
    // An endpoint signs with the profile's credentials: one named that is not there is said, as for
    // AWS (AWS_PROFILE too, unless the environment's keys, which win over it, are there).
    const named = profile || (!envCredentials(env) && env.AWS_PROFILE);
    if (named && !profileSection(files, named)) throw missingProfile(named, files, sharedFilePaths(env));
    return {
      kind: 'endpoint',
      endpoint: url,
      region: region ?? EMBEDDED_DEFAULT_REGION,
      source,
      ...opt(profile),
    };
  };

  if (flags.endpointUrl) return endpoint(flags.endpointUrl, '--endpoint-url');
  if (flags.local || flags.dataDir || flags.memory) return embedded();
  const envEndpoint = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
    ? undefined
    : env.AWS_ENDPOINT_URL_DYNAMODB
      ? (['AWS_ENDPOINT_URL_DYNAMODB', env.AWS_ENDPOINT_URL_DYNAMODB] as const)
      : env.AWS_ENDPOINT_URL
        ? (['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL] as const)
        : undefined;
  if (envEndpoint && !flags.aws) return endpoint(envEndpoint[1], envEndpoint[0]);

  // NOTE: half a key pair in the environment is a mistake meant for AWS, refused as the AWS CLI
  // refuses it, never a quiet fall-back to the embedded engine.
  const partial = !profile && partialEnvKeys(env);
  if (partial) throw partial;
  const source = credentialSource(env, files, profile);
  // NOTE: AWS_PROFILE means AWS, as --profile does, even when its profile holds no credentials (a
  // region only, on a host whose role gives them): the default chain then finds them. One it names
  // that the files do not have is refused below, as the AWS CLI refuses it, rather than quietly
  // falling back to the embedded engine (a typo would act on local data).
  if (flags.aws || profile || source || env.AWS_PROFILE) {
    // A profile asked for that is not there: said first, as the AWS CLI does (not its missing region).
    const named = profile || (!source && env.AWS_PROFILE);
    if (named && !profileSection(files, named)) throw missingProfile(named, files, sharedFilePaths(env));
    if (!region) {
      throw new DdbError('target.noRegion', {
        message: 'no AWS region: pass --region (for example --region us-east-1) or set AWS_REGION',
      });
    }
    return {
      kind: 'aws',
      region,
      credentialsFrom: source ?? (profile ? `profile ${profile}` : 'the default credential chain'),
      ...opt(profile),
      ...(envEndpoint ? { endpoint: { url: envEndpoint[1], source: envEndpoint[0] } } : {}),
    };
  }
  return embedded();
}

function checkUrl(url: string, source: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    usage(`${source}: ${JSON.stringify(url)} is not a URL; pass one such as http://127.0.0.1:8000`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    usage(`${source}: ${JSON.stringify(url)} must start with http:// or https://`);
  }
}

function opt(profile: string | undefined): { profile?: string } {
  return profile ? { profile } : {};
}

/**
 * Whether two targets hold the same tables: one embedded data dir (by its absolute path; two
 * in-memory engines of one run are one engine), one endpoint URL in one region (DynamoDB Local
 * keeps a region's tables apart), one AWS region with the same credentials.
 */
export function sameTarget(a: Target, b: Target, absolute: (dir: string) => string = (d) => d): boolean {
  if (a.kind === 'embedded' && b.kind === 'embedded') {
    return (
      (a.dataDir === null ? null : absolute(a.dataDir)) === (b.dataDir === null ? null : absolute(b.dataDir))
    );
  }
  if (a.kind === 'endpoint' && b.kind === 'endpoint') {
    return new URL(a.endpoint).href === new URL(b.endpoint).href && a.region === b.region;
  }
  if (a.kind === 'aws' && b.kind === 'aws') {
    return a.region === b.region && a.profile === b.profile && a.credentialsFrom === b.credentialsFrom;
  }
  return false;
}

/** One line for people: which target a command uses. Never includes credentials. */
export function describeTarget(t: Target, endpoint?: string): string {
  switch (t.kind) {
    case 'embedded':
      return `embedded engine (${t.dataDir === null ? 'in memory, nothing kept' : `data dir ${t.dataDir}`}${endpoint ? `, ${endpoint}` : ''})`;
    case 'endpoint':
      return `endpoint ${t.endpoint} (region ${t.region}${t.profile ? `, profile ${t.profile}` : ''})`;
    case 'aws':
      return `AWS ${t.region} (credentials from ${t.credentialsFrom}${t.endpoint ? `; requests to ${t.endpoint.url} (${t.endpoint.source})` : ''})`;
  }
}

/** Where, for a sentence: "on AWS us-east-1 (...)", "on the embedded engine (...)", "at endpoint http://... (...)". */
export function onTarget(t: Target): string {
  return `${t.kind === 'endpoint' ? 'at' : t.kind === 'embedded' ? 'on the' : 'on'} ${describeTarget(t)}`;
}
