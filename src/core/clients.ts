/**
 * Target → SDK clients. The core reaches every engine (embedded, local emulators, AWS) through
 * these two clients only; the embedded engine is just another endpoint.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { STSClient } from '@aws-sdk/client-sts';
import { state as sdkWarning } from '@aws-sdk/core/client';
import { fromEnv, fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseUrl } from '@smithy/core/transport';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Endpoint } from '@smithy/types';
import { announceRetries, explainUnreachable, trackSent } from './clientMiddleware.js';
import {
  AUTH_TIMEOUTS,
  type AuthTimeouts,
  authClientConfig,
  awsCredentials,
  type CredentialOptions,
  chooseSource,
  envCredentials,
  readSharedFiles,
} from './credentials.js';
import { marshallConstructorMaps } from './data/constructorGuard.js';
import { refuseProtoAttributes } from './data/protoGuard.js';
import { type Clock, systemClock } from './util/clock.js';
import { fastProperties } from './util/fastProperties.js';
import { createBulkClient, handOnSignal, withSockets } from './wire/wireBody.js';

export interface Clients {
  ddb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /**
   * For bulk writes (batchWrite): the same target, the middleware stack cached, request bodies
   * written by ddbctl (wire/wireBody.ts). Made on first use. Without it (a test double), bulk
   * writes go through `doc`.
   */
  bulk?: DynamoDBClient;
  /**
   * DynamoDB Streams of the same target (tail): the same region, credentials, endpoint (on AWS the
   * Streams endpoint of the region) and door, with the SDK's retry strategy. Made on first call,
   * its module loaded then (no other command pays for it); absent from a test double.
   */
  streams?: () => Promise<DynamoDBStreamsClient>;
  /**
   * STS of the same region and credentials (GetCallerIdentity: which account and principal), made on
   * first call (its module loaded then); absent from a test double. Only for AWS: an endpoint has
   * no STS of its own.
   */
  sts?: () => Promise<STSClient>;
  /**
   * Where STS requests go when not to AWS's STS of the region: an AWS_ENDPOINT_URL_STS (or
   * AWS_ENDPOINT_URL) of `env`, which the SDK honours; for "cannot reach" messages.
   */
  stsLabel?: string;
  /** A short description of the target for messages, e.g. "endpoint http://127.0.0.1:8000". */
  label: string;
  /** DescribeTable's ItemCount and TableSizeBytes are exact (ddbctl's embedded engine). */
  exactCounts?: boolean;
  /**
   * Requests are answered in this process (the embedded engine's in-process door): no latency to
   * hide and no throttling, so bulk transfers keep a fixed number of calls in flight.
   */
  inProcess?: boolean;
  /**
   * The operations that may change something (not a read such as GetItem, Query, a Describe or a
   * SELECT) sent and not answered yet, by name ("PutItem"): what a command stopped at once (Ctrl-C)
   * must say may or may not have been carried out. Absent from a test double.
   */
  unanswered?: () => string[];
  /**
   * The ClientRequestTokens of the TransactWriteItems among them (the SDK's own when the caller
   * gave none): the same transaction sent again with its token within 10 minutes is carried out at
   * most once.
   */
  unansweredTokens?: () => string[];
  destroy(): void;
}

export interface ClientConfig {
  region: string;
  /** An endpoint URL; absent = the AWS endpoint of `region`. */
  endpoint?: string;
  /** AWS profile for the credential chain. */
  profile?: string;
  /**
   * How credentials resolve. `chain`: the SDK's default chain (AWS). `local`: environment or
   * profile when present, else fixed placeholder credentials — never the instance-metadata service,
   * since local engines accept any key. `static`: the given pair.
   */
  credentials: 'chain' | 'local' | { accessKeyId: string; secretAccessKey: string };
  /**
   * The environment `chain` and `local` credentials come from, as the SDK reads it: the keys
   * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ACCOUNT_ID,
   * AWS_CREDENTIAL_SCOPE), the profile (AWS_PROFILE), the shared files (AWS_SHARED_CREDENTIALS_FILE,
   * AWS_CONFIG_FILE) and a web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN,
   * AWS_ROLE_SESSION_NAME). The CLI passes the environment it was given, so a run in-process sees
   * its own. Default: the SDK reads the process's environment. NOTE: the SDK's container and
   * instance-metadata providers (the chain's last links) take no environment: they read the process's.
   */
  env?: Record<string, string | undefined>;
  /** SDK attempts per request (standard retry strategy with backoff). Default 3 (the SDK's). */
  maxAttempts?: number;
  /** Milliseconds of silence on a request's connection after which it fails (ETIMEDOUT). Default 60,000. */
  requestTimeoutMs?: number;
  /**
   * An SDK request handler to send through instead of HTTP: the embedded engine's in-process door,
   * handed over opaque (the core knows nothing of the engine). Default: the SDK's HTTP handler.
   */
  requestHandler?: DynamoDBClientConfig['requestHandler'];
  /**
   * `requestHandler` answers in this process (the embedded engine's in-process door), so requests
   * go unsigned (no one checks a signature; SigV4 cost a tenth of an import's CPU there), and bulk
   * writes hand it no abort signal (a call cannot hang, and one given options is resolved through
   * the whole middleware stack again: the caller stops between calls instead). Ignored without a
   * requestHandler: an endpoint is always signed. Default false.
   */
  inProcess?: boolean;
  /**
   * A command's stop (Ctrl-C): every request to an endpoint sent without an abort signal of its
   * own is aborted with it, so that no call (a DescribeTable before an import, the count after a
   * copy) holds a stopped command behind an endpoint that does not answer. Ignored in-process.
   */
  stop?: AbortSignal;
  /** The engine's DescribeTable counts are exact (ddbctl's embedded engine). Default false. */
  exactCounts?: boolean;
  label: string;
  /**
   * What to say, instead of "cannot reach the endpoint", when a request finds no one there (after
   * the SDK's retries): e.g. that the ddbctl serve this command joined is gone, and how to go on.
   * Called when it happens, so it may look again (is the process still alive?).
   */
  unreachable?: (networkCode: string) => string;
  /**
   * How long the AWS credential providers' calls (SSO portal, STS) and STS GetCallerIdentity may
   * take to connect and to answer: an endpoint that accepts and never answers fails in seconds
   * instead of hanging. Default AUTH_TIMEOUTS (5 s to connect, 10 s for an answer, per attempt).
   */
  authTimeouts?: AuthTimeouts;
  /** Asks for an MFA code (for a role profile with mfa_serial); see CredentialOptions. Default none. */
  mfaCode?: CredentialOptions['mfaCode'];
  /** Told where the credentials came from once they resolve; see CredentialOptions. Default none. */
  onCredentials?: CredentialOptions['onResolved'];
  /**
   * Told, in one line, each time the SDK tries a request again after a time limit passed (no
   * answer within the request timeout, or no connection): an endpoint that never answers holds a
   * call for minutes (60 s, AWS_MAX_ATTEMPTS times), and the user should not wait in silence.
   * Default none. Bulk writes say it their own way (their progress line and report).
   */
  onRetry?: (line: string) => void;
  /** Time for onRetry's lines (calls timing out together are told once). Default the system's. */
  clock?: Clock;
}

/** Placeholder credentials for engines that accept any key. Not a secret. */
export const LOCAL_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'ddbctl', secretAccessKey: 'ddbctl' };

type Env = Record<string, string | undefined>;

/**
 * The profile and shared files the SDK's providers read, from `env` (what they would take from the
 * process's): `profile` (--profile), else AWS_PROFILE, else default.
 */
function sharedFilesOf(profile: string | undefined, env: Env) {
  return {
    profile: profile || env.AWS_PROFILE || 'default',
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  };
}

/**
 * Keys from the environment, else a profile's, else placeholders: never the instance-metadata service.
 * A profile named (--profile, or AWS_PROFILE without keys in the environment) that is a source of
 * credentials of its own (keys, a process, a role, SSO) is used alone, as for AWS: its failure is the
 * error, not placeholders sent in its place. The default profile's failure still falls back to them.
 */
function localCredentials(
  profile: string | undefined,
  env: Env | undefined,
  opts: CredentialOptions,
): AwsCredentialIdentityProvider {
  return async (props) => {
    const keys = env ? envCredentials(env) : await fromEnv()().catch(() => undefined);
    if (env && (profile || (!keys && env.AWS_PROFILE))) {
      const source = chooseSource(env, await readSharedFiles(env), profile);
      if (source.from === 'profile') return awsCredentials(profile, env, opts)(props);
    }
    if (keys) return keys;
    try {
      return await fromIni(env ? sharedFilesOf(profile, env) : profile ? { profile } : {})();
    } catch {}
    return LOCAL_CREDENTIALS;
  };
}

/** The SDK's default chain; over `env` when given, ordered as the AWS CLI orders it (credentials.ts). */
function chainCredentials(
  profile: string | undefined,
  env: Env | undefined,
  opts: CredentialOptions,
): AwsCredentialIdentityProvider {
  if (!env) {
    return fromNodeProviderChain({
      ...(profile ? { profile } : {}),
      clientConfig: authClientConfig(opts.timeouts ?? AUTH_TIMEOUTS),
      ...(opts.mfaCode ? { mfaCodeProvider: opts.mfaCode } : {}),
    });
  }
  return awsCredentials(profile, env, opts);
}

/**
 * Make SDK clients without the SDK's Node-version warning: the library prints nothing. NOTE: the
 * SDK warns (process.emitWarning, on stderr) when it builds its first client on Node < 22 and marks
 * `state.warningEmitted` of @aws-sdk/core; there is no client option for it, and the CLI's switch,
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, is the process's environment, which a library
 * leaves alone. The mark is set while ddbctl builds its clients (synchronously: nothing else runs in
 * between) and put back, so the program's own SDK clients warn, or not, as they would without ddbctl.
 */
function withoutNodeWarning<T>(make: () => T): T {
  const before = sdkWarning.warningEmitted;
  sdkWarning.warningEmitted = true;
  try {
    return make();
  } finally {
    sdkWarning.warningEmitted = before;
  }
}

function stsLabelOf(env: Env | undefined): { stsLabel?: string } {
  if (!env || env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) return {};
  const [name, url] = env.AWS_ENDPOINT_URL_STS
    ? ['AWS_ENDPOINT_URL_STS', env.AWS_ENDPOINT_URL_STS]
    : ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL];
  return url ? { stsLabel: `STS ${url} (${name})` } : {};
}

export function createClients(cfg: ClientConfig): Clients {
  const inProcess = !!(cfg.inProcess && cfg.requestHandler);
  const credentials =
    cfg.credentials === 'chain'
      ? chainCredentials(cfg.profile, cfg.env, {
          ...(cfg.authTimeouts ? { timeouts: cfg.authTimeouts } : {}),
          ...(cfg.mfaCode ? { mfaCode: cfg.mfaCode } : {}),
          ...(cfg.onCredentials ? { onResolved: cfg.onCredentials } : {}),
        })
      : cfg.credentials === 'local'
        ? localCredentials(cfg.profile, cfg.env, {
            ...(cfg.authTimeouts ? { timeouts: cfg.authTimeouts } : {}),
            ...(cfg.mfaCode ? { mfaCode: cfg.mfaCode } : {}),
          })
        : cfg.credentials;
  const config: DynamoDBClientConfig = {
    region: cfg.region,
    credentials,
    maxAttempts: cfg.maxAttempts ?? 3,
    ...(cfg.endpoint ? { endpoint: parsedEndpoint(cfg.endpoint) } : {}),
    // NOTE: a local endpoint that does not answer should fail in seconds, not minutes.
    // NOTE: a request whose connection stays silent for requestTimeoutMs fails (ETIMEDOUT, retried
    // as a network error): an endpoint that accepts connections but answers nothing (a stopped
    // process) would otherwise hold a command for ever. 60 s of silence, as boto3's read timeout; a
    // big answer still coming in is not cut. (The SDK's own requestTimeout only warns.)
    requestHandler: withSockets(
      cfg.requestHandler ?? {
        connectionTimeout: cfg.endpoint ? 3000 : 10000,
        socketTimeout: cfg.requestTimeoutMs ?? 60_000,
      },
    ),
    // NOTE: the same scheme the SDK uses (credentials still resolved, and refused alike), with a
    // signer that leaves the request as it is.
    ...(inProcess
      ? {
          httpAuthSchemes: [
            {
              schemeId: 'aws.auth#sigv4',
              identityProvider: (ipc) => ipc.getIdentityProvider('aws.auth#sigv4'),
              signer: { sign: async (request) => request },
            },
          ],
        }
      : {}),
  };
  const ddb = withoutNodeWarning(() => new DynamoDBClient(config));
  // NOTE: DynamoDBDocumentClient.from writes its translate config into the base client's config;
  // each document client gets its own base client (see STYLE.md "Pitfalls").
  const docBase = withoutNodeWarning(() => new DynamoDBClient(config));
  const stop = inProcess ? undefined : cfg.stop;
  const orStop = (_: unknown, options: { abortSignal?: unknown } | undefined) =>
    options?.abortSignal ? undefined : stop;
  if (stop) for (const c of [ddb, docBase]) handOnSignal(c, orStop);
  // The bulk client needs no check: BatchWriteItem answers only with items ddbctl wrote.
  refuseProtoAttributes(ddb);
  refuseProtoAttributes(docBase);
  marshallConstructorMaps(docBase);
  const explain = cfg.unreachable;
  if (explain) for (const c of [ddb, docBase]) explainUnreachable(c, explain);
  const sent = new Map<string, number>();
  const tokens = new Map<object, string>();
  for (const c of [ddb, docBase]) trackSent(c, sent, tokens);
  const onRetry = cfg.onRetry;
  if (onRetry && !inProcess)
    for (const c of [ddb, docBase]) announceRetries(c, cfg.label, onRetry, cfg.clock ?? systemClock);
  const doc = DynamoDBDocumentClient.from(docBase, {
    marshallOptions: { convertEmptyValues: false, removeUndefinedValues: false },
    unmarshallOptions: { wrapNumbers: true },
  });
  // Their configs have every key now (DynamoDBDocumentClient.from wrote its own into docBase's).
  fastProperties(ddb.config);
  fastProperties(docBase.config);
  let bulk: DynamoDBClient | undefined;
  let streams: DynamoDBStreamsClient | undefined;
  let sts: STSClient | undefined;
  return {
    ddb,
    doc,
    get bulk() {
      // The same credentials as `ddb` (resolved once, refreshed by the SDK), not a second chain.
      if (bulk === undefined) {
        const made = withoutNodeWarning(() =>
          createBulkClient(
            // NOTE: one attempt a call: batchWrite retries throttling, 5xx and network errors itself
            // (writeChunk, with backoff), and its concurrency must hear of throttling at once, not
            // after the SDK's retries sat on it for hundreds of ms while the other calls grew it.
            { ...config, credentials: ddb.config.credentials, maxAttempts: 1 },
            { inProcess },
          ),
        );
        if (explain) explainUnreachable(made, explain);
        trackSent(made, sent, tokens);
        bulk = made;
      }
      return bulk;
    },
    async streams() {
      // NOTE: the module first, then the check: two calls at once make one client.
      const { DynamoDBStreamsClient } = await import('@aws-sdk/client-dynamodb-streams');
      if (streams === undefined) {
        const { httpAuthSchemes, ...rest } = config;
        const made = withoutNodeWarning(
          () =>
            new DynamoDBStreamsClient({
              ...rest,
              // NOTE: the two clients' auth scheme types differ only in their client's name; the
              // in-process signer that leaves requests unsigned serves both.
              ...(httpAuthSchemes ? { httpAuthSchemes: httpAuthSchemes as never } : {}),
              credentials: ddb.config.credentials,
            }),
        );
        // The middleware only wraps the send; the stack's types are its client's, the steps the same.
        if (explain) explainUnreachable(made as unknown as DynamoDBClient, explain);
        trackSent(made as unknown as DynamoDBClient, sent, tokens);
        if (onRetry && !inProcess)
          announceRetries(made as unknown as DynamoDBClient, cfg.label, onRetry, cfg.clock ?? systemClock);
        if (stop) handOnSignal(made, orStop);
        streams = made;
      }
      return streams;
    },
    async sts() {
      const { STSClient } = await import('@aws-sdk/client-sts');
      sts ??= withoutNodeWarning(
        () =>
          new STSClient({
            region: cfg.region,
            credentials: ddb.config.credentials,
            maxAttempts: config.maxAttempts as number,
            // NOTE: bounded, so that a stalled STS fails whoami and the prompts' account in seconds.
            ...authClientConfig(cfg.authTimeouts ?? AUTH_TIMEOUTS),
          }),
      );
      return sts;
    },
    label: cfg.label,
    ...stsLabelOf(cfg.env),
    ...(cfg.exactCounts ? { exactCounts: true } : {}),
    ...(inProcess ? { inProcess: true } : {}),
    unanswered: () => [...sent.keys()],
    unansweredTokens: () => [...new Set(tokens.values())],
    destroy() {
      ddb.destroy();
      docBase.destroy();
      bulk?.destroy();
      streams?.destroy();
      sts?.destroy();
    },
  };
}

/**
 * An endpoint URL as the SDK's parts (protocol, hostname, port, path): given as a string, the SDK
 * parses it again on every call (about 13 µs of a bulk call's work); a URL it cannot read is left
 * to it, which refuses it as it always did.
 */
function parsedEndpoint(url: string): string | Endpoint {
  try {
    return parseUrl(url);
  } catch {
    return url;
  }
}
