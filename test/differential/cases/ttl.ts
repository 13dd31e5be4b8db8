// Time to Live settings: UpdateTimeToLive / DescribeTimeToLive, their statuses and refusals. (Expiry
// itself is not compared: DynamoDB Local deletes expired items on its own schedule; the engine's
// sweep is tested with a moved clock in src/engine/ttl/sweep.test.ts.)
import type { Case } from '../harness.js';
import { diverges, step, table } from './_common.js';

type Json = Record<string, unknown>;

const ttl = (spec: Json | undefined, more: Json = {}) =>
  step('UpdateTimeToLive', { TableName: '$T', ...(spec ? { TimeToLiveSpecification: spec } : {}), ...more });
const describe = step('DescribeTimeToLive', { TableName: '$T' });
const on = (name = 'exp') => ({ AttributeName: name, Enabled: true });
const off = (name = 'exp') => ({ AttributeName: name, Enabled: false });

export const ttlCases: Case[] = [
  { name: 'describe: a new table is DISABLED', steps: [table(), describe] },
  { name: 'enable, then describe', steps: [table(), ttl(on()), describe] },
  { name: 'enable, then disable', steps: [table(), ttl(on()), ttl(off()), describe] },
  { name: 'disable, then enable again', steps: [table(), ttl(on()), ttl(off()), ttl(on('other')), describe] },
  { name: 'enable twice', steps: [table(), ttl(on()), ttl(on()), describe] },
  {
    name: 'enable another attribute while enabled',
    steps: [table(), ttl(on()), diverges('ttlOtherAttribute', ttl(on('other'))), describe],
  },
  {
    name: 'disable another attribute while enabled',
    steps: [table(), ttl(on()), diverges('ttlOtherAttribute', ttl(off('other'))), describe],
  },
  { name: 'disable a table never enabled', steps: [table(), ttl(off()), describe] },
  { name: 'disable twice', steps: [table(), ttl(on()), ttl(off()), ttl(off()), describe] },
  { name: 'enable on the partition key', steps: [table(), ttl(on('pk')), describe] },
  { name: 'enable, attribute name of 255 characters', steps: [table(), ttl(on('a'.repeat(255))), describe] },
  {
    name: 'enable, attribute name of 256 characters',
    steps: [table(), diverges('ttlSpecification', ttl(on('a'.repeat(256)))), describe],
  },
  {
    name: 'enable, empty attribute name',
    steps: [table(), diverges('ttlSpecification', ttl(on(''))), describe],
  },
  {
    name: 'enable, no attribute name',
    steps: [table(), diverges('ttlSpecification', ttl({ Enabled: true })), describe],
  },
  {
    name: 'no Enabled',
    steps: [table(), diverges('ttlSpecification', ttl({ AttributeName: 'exp' })), describe],
  },
  { name: 'no specification', steps: [table(), diverges('ttlSpecification', ttl(undefined)), describe] },
  { name: 'empty specification', steps: [table(), diverges('ttlSpecification', ttl({}))] },
  { name: 'update: missing table', steps: [ttl(on())] },
  { name: 'update: no table name', steps: [step('UpdateTimeToLive', { TimeToLiveSpecification: on() })] },
  {
    name: 'update: table name too short',
    steps: [step('UpdateTimeToLive', { TableName: 'ab', TimeToLiveSpecification: on() })],
  },
  {
    name: 'update: bad table name, no specification',
    steps: [step('UpdateTimeToLive', { TableName: 'a!' })],
  },
  {
    name: 'update: bad table name, empty attribute',
    steps: [step('UpdateTimeToLive', { TableName: 'a!', TimeToLiveSpecification: on('') })],
  },
  { name: 'update: missing table, empty attribute', steps: [diverges('ttlSpecification', ttl(on('')))] },
  {
    name: 'disable, no attribute name',
    steps: [table(), diverges('ttlSpecification', ttl({ Enabled: false }))],
  },
  { name: 'describe: missing table', steps: [describe] },
  { name: 'describe: no table name', steps: [step('DescribeTimeToLive', {})] },
  { name: 'describe: table name too short', steps: [step('DescribeTimeToLive', { TableName: 'ab' })] },
  { name: 'Enabled as a string', steps: [table(), ttl({ AttributeName: 'exp', Enabled: 'true' }), describe] },
  {
    name: 'AttributeName as a number',
    steps: [table(), diverges('wrongJsonType', ttl({ AttributeName: 5, Enabled: true }))],
  },
  {
    name: 'specification as a string',
    steps: [
      table(),
      diverges('wrongJsonType', step('UpdateTimeToLive', { TableName: '$T', TimeToLiveSpecification: 'x' })),
    ],
  },
];
