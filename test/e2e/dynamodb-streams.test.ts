// End-to-end: a table's stream on the embedded engine, written by ddbctl's commands and read by
// other clients from `ddbctl serve` on the DynamoDB Streams API (same endpoint, its own target
// prefix): boto3's dynamodbstreams client, the JavaScript SDK's and the AWS CLI's `dynamodbstreams` commands (botocore
// checks x-amz-crc32 and its own reading of every member).
import { type ChildProcess, spawn } from 'node:child_process';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, ddbctl, noCredentials, removeTempDirs, run, tempDir } from './binary.js';

afterAll(removeTempDirs);

describe('streams served by ddbctl serve', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it("boto3's dynamodbstreams client, the AWS CLI and the JavaScript SDK read the records of ddbctl's writes", async () => {
    const env = noCredentials({ DDBCTL_DATA_DIR: tempDir() });
    server = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const endpoint = await new Promise<string>((res, rej) => {
      server?.stdout?.on('data', (d: Buffer) => res(d.toString().trim()));
      server?.on('exit', (c) => rej(new Error(`serve exited with ${c}`)));
    });
    const ok = async (args: string[]) => {
      const r = await ddbctl(args, env);
      expect(r.code, r.stderr).toBe(0);
    };
    await ok(['create-table', 'Events', '--pk', 'id:S', '--stream', 'new-and-old-images', '--wait']);
    await ok(['put', 'Events', '{"id": "a", "n": 1}']);
    await ok(['update', 'Events', 'id=a', '--set', 'n = 2']);
    await ok(['delete', 'Events', 'id=a']);

    const awsEnv = {
      ...env,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const py = [
      'import boto3, json',
      `s = boto3.client("dynamodbstreams", endpoint_url="${endpoint}", region_name="us-east-1")`,
      'arn = s.list_streams(TableName="Events")["Streams"][0]["StreamArn"]',
      'd = s.describe_stream(StreamArn=arn)["StreamDescription"]',
      'shard = d["Shards"][0]["ShardId"]',
      'it = s.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]',
      'r = s.get_records(ShardIterator=it)',
      'out = [[x["eventName"], x["dynamodb"]["Keys"], x["dynamodb"].get("NewImage"), x["dynamodb"].get("OldImage")] for x in r["Records"]]',
      'print(json.dumps({"status": d["StreamStatus"], "view": d["StreamViewType"], "records": out, "next": "NextShardIterator" in r}))',
    ].join('\n');
    const boto = JSON.parse((await run('python3', ['-c', py], { env: awsEnv })).stdout);
    expect(boto).toEqual({
      status: 'ENABLED',
      view: 'NEW_AND_OLD_IMAGES',
      records: [
        ['INSERT', { id: { S: 'a' } }, { id: { S: 'a' }, n: { N: '1' } }, null],
        ['MODIFY', { id: { S: 'a' } }, { id: { S: 'a' }, n: { N: '2' } }, { id: { S: 'a' }, n: { N: '1' } }],
        ['REMOVE', { id: { S: 'a' } }, null, { id: { S: 'a' }, n: { N: '2' } }],
      ],
      next: true,
    });

    const list = await run(
      'aws',
      [
        'dynamodbstreams',
        'list-streams',
        '--endpoint-url',
        endpoint,
        '--table-name',
        'Events',
        '--output',
        'json',
      ],
      { env: awsEnv },
    );
    expect(JSON.parse(list.stdout).Streams).toEqual([
      expect.objectContaining({
        TableName: 'Events',
        StreamArn: expect.stringContaining(':table/Events/stream/'),
      }),
    ]);

    // The JavaScript SDK's Streams client over HTTP too.
    const js = new DynamoDBStreamsClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const arn = (await js.send(new ListStreamsCommand({ TableName: 'Events' }))).Streams![0]!.StreamArn!;
    const shard = (await js.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!
      .Shards![0]!;
    const it = await js.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const recs = await js.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator!, Limit: 2 }));
    expect(recs.Records!.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    js.destroy();

    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    server = undefined;
  });
});
