/**
 * TagResource / UntagResource / ListTagsOfResource: tags live in the table's meta record (DynamoDB
 * Local has no tagging; the words follow DynamoDB's, as dynalite recorded them).
 */
import type { TableMeta } from '../catalog.js';
import type { OpContext, Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import { Constraints, checkShape } from '../shape.js';
import { checkTags, MAX_TAGS, mergeTags, putMeta, type Tag, tooManyTags } from './_tables.js';
import { TAGS } from './createTable.js';

/** The table a ResourceArn names, checked as DynamoDB checks it. */
export function tableOf(ctx: OpContext, arn: unknown): TableMeta {
  if (typeof arn !== 'string') throw validation('Invalid TableArn');
  if (!/^arn:aws:dynamodb:[^:]+:\d+:table\/[a-zA-Z0-9_.-]{3,255}$/.test(arn)) {
    throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  }
  const meta = ctx.findTable(arn.slice(arn.indexOf('/') + 1));
  // NOTE: "ResourcArn" is DynamoDB's own spelling.
  if (!meta || meta.arn !== arn) {
    throw new EngineError(
      'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${arn} not found`,
    );
  }
  return meta;
}

function withTags(meta: TableMeta, tags: Tag[]): TableMeta {
  const extra = { ...meta.extra };
  if (tags.length) extra.tags = tags;
  else delete extra.tags;
  return { ...meta, extra };
}

export const tagResource: Operation = (ctx, input) => {
  checkShape(input, { struct: { ResourceArn: 'string', Tags: TAGS } });
  const c = new Constraints();
  c.notNull(input.Tags, 'tags');
  checkTags(c, input.Tags as Tag[] | undefined);
  c.throwIfAny();
  const meta = tableOf(ctx, input.ResourceArn);
  const given = input.Tags as Tag[];
  if (!given.length) throw validation('Atleast one Tag needs to be provided as Input.');
  const tags = mergeTags((meta.extra.tags as Tag[] | undefined) ?? [], given);
  if (tags.length > MAX_TAGS) throw tooManyTags();
  ctx.store.commit([putMeta(withTags(meta, tags))]);
  return {};
};

export const untagResource: Operation = (ctx, input) => {
  checkShape(input, { struct: { ResourceArn: 'string', TagKeys: { list: 'string' } } });
  const c = new Constraints();
  c.notNull(input.TagKeys, 'tagKeys');
  c.throwIfAny();
  const meta = tableOf(ctx, input.ResourceArn);
  const keys = input.TagKeys as string[];
  if (!keys.length) throw validation('Atleast one Tag Key needs to be provided as Input.');
  const tags = ((meta.extra.tags as Tag[] | undefined) ?? []).filter((t) => !keys.includes(t.Key));
  ctx.store.commit([putMeta(withTags(meta, tags))]);
  return {};
};

export const listTagsOfResource: Operation = (ctx, input) => {
  checkShape(input, { struct: { ResourceArn: 'string', NextToken: 'string' } });
  const meta = tableOf(ctx, input.ResourceArn);
  // At most 50 tags: one page, no NextToken.
  return { Tags: (meta.extra.tags as Tag[] | undefined) ?? [] };
};
