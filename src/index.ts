/**
 * ddbctl as a library: typed operations over the AWS SDK for JavaScript v3. Nothing here prints,
 * reads argv or the environment, or exits; failures are DdbErrors with a code and a fix-it message.
 */

// Items
// Numbers are NumberValues (exact text); plain JS numbers are taken where exact (fromJsItem).
export { NumberValue } from '@aws-sdk/lib-dynamodb';
// The types the functions above take and return, so that a program can name them (src/exports.test.ts).
export type { BackoffOptions } from './core/batch/backoff.js';
export type { BatchGetResult, FailedKey } from './core/batch/batchGet.js';
export { type BatchGetOptions, batchGet } from './core/batch/batchGet.js';
export type { BatchProgress, FailedWrite, ResolvedDuplicate, SettledWrite } from './core/batch/batchWrite.js';
// Batches and transactions
export {
  type BatchWriteOptions,
  type BatchWriteResult,
  batchWrite,
  type WriteRequest,
} from './core/batch/batchWrite.js';
export type { ConcurrencyOptions, ConcurrencyStats } from './core/batch/concurrency.js';
export type { ChunkLimits } from './core/batch/writePlan.js';
export { type ClientConfig, type Clients, createClients, LOCAL_CREDENTIALS } from './core/clients.js';
export type { DeleteTableResult } from './core/control/deleteTable.js';
export { type DeleteTableOptions, deleteTable } from './core/control/deleteTable.js';
export { describeTable, findTable } from './core/control/describeTable.js';
export { type ListTablesOptions, listTables } from './core/control/listTables.js';
export { listTags } from './core/control/tags.js';
export type {
  IndexProgress,
  IndexState,
  WaitForIndexesOptions,
  WaitForIndexesResult,
} from './core/control/waitForIndexes.js';
export { waitForIndexes } from './core/control/waitForIndexes.js';
export type { WaitResult } from './core/control/waitForTable.js';
export { type WaitOptions, waitForTable } from './core/control/waitForTable.js';
export type { AuthTimeouts, CredentialOptions } from './core/credentials.js';
export type { RawItem } from './core/data/codec.js';
export {
  fromDdbJson,
  fromJsItem,
  type Item,
  type ItemInput,
  type ItemInputValue,
  type ItemValue,
  normalizeNumber,
  parseItem,
  stringifyDdbJson,
  stringifyItem,
  toDdbJson,
} from './core/data/codec.js';
export {
  type DeleteItemOptions,
  type DeleteItemResult,
  deleteItem,
  deleteItemInput,
} from './core/data/deleteItem.js';
export type { BuildExpressionsOptions, BuiltExpressions } from './core/data/expressions/index.js';
export { buildExpressions, Placeholders, type UpdateActions } from './core/data/expressions/index.js';
export type { GetItemResult } from './core/data/getItem.js';
export { type GetItemOptions, getItem, getItemInput } from './core/data/getItem.js';
export type { ItemCount, ItemCountStatus } from './core/data/itemCount.js';
export type { KeyAttr } from './core/data/keySchema.js';
export { getKeySchema, type IndexKeyAttr, type KeySchema } from './core/data/keySchema.js';
export type { ExecuteStatementOptions } from './core/data/partiql.js';
export { executeStatement, executeStatementAll, executeStatementPages } from './core/data/partiql.js';
export type { ConditionOptions, PutItemResult } from './core/data/putItem.js';
export { type PutItemOptions, putItem, putItemInput } from './core/data/putItem.js';
export type { ReadOptions, SortKeyOp } from './core/data/read.js';
export {
  countItems,
  type QueryOptions,
  queryInput,
  queryPages,
  readKeySchema,
  type ScanOptions,
  scanInput,
  scanPages,
} from './core/data/read.js';
export type {
  CancellationReason,
  ParseTransactOptions,
  TransactAction,
  TransactActionType,
  TransactCheck,
  TransactDelete,
  TransactGet,
  TransactPut,
  TransactUpdate,
  TransactWriteOptions,
  TransactWriteResult,
} from './core/data/transact/index.js';
export {
  parseTransactActions,
  parseTransactGets,
  transactGet,
  transactWrite,
} from './core/data/transact/index.js';
export type { ReturnMode, UpdateItemResult } from './core/data/updateItem.js';
export { type UpdateItemOptions, updateItem, updateItemInput } from './core/data/updateItem.js';
export { itemSize, validateItem } from './core/data/validate.js';
export type { DdbErrorOptions } from './core/errors.js';
export { DdbError, type DdbErrorCode, isDdbError } from './core/errors.js';
export {
  type AttributeCheck,
  type LabOptions,
  type LabReport,
  type LabStep,
  labSampleItem,
  runLab,
  verifyItem,
} from './core/lab.js';
export { validateTableName } from './core/names.js';
export type {
  ApplyEvent,
  ApplyOptions,
  ApplyResult,
  PreparedPlan,
  PrepareOptions,
  SwapReport,
} from './core/spec/apply.js';
// Table specs: plan (pure) and apply
export { applyPlan, prepareSpecs, prepareTable } from './core/spec/apply.js';
export type { DetectCapsOptions } from './core/spec/caps.js';
export { detectCaps } from './core/spec/caps.js';
export type { CreateTableResult, KeyDef } from './core/spec/createTable.js';
// Tables
export {
  type CreateTableOptions,
  createTable,
  createTableInputOf as createTableInput,
  LAB_DEFAULTS,
} from './core/spec/createTable.js';
export { ensureTags, type TagsResult } from './core/spec/ensureTags.js';
export type {
  LiveTable,
  PlanStep,
  PolicyDeleteInput,
  PolicyPutInput,
  StepBase,
  StepLabel,
  TagAddInput,
  TagRemoveInput,
} from './core/spec/plan.js';
export { type EngineCaps, formatPlan, planTable, type TablePlan } from './core/spec/plan.js';
export type {
  Billing,
  GsiSpec,
  KeyAttribute,
  KeyType,
  LsiSpec,
  OnDemandLimit,
  ParseSpecOptions,
  Projection,
  ProjectionType,
  SseSpec,
  StreamViewType,
  TableClass,
  Throughput,
  WarmThroughput,
} from './core/spec/tableSpec.js';
export {
  createTableInput as specCreateTableInput,
  parseSpecFile,
  type TableSpec,
} from './core/spec/tableSpec.js';
export type { TableState } from './core/spec/tableState.js';
export type { Profiles, SharedFiles } from './core/target.js';
export {
  credentialSource,
  describeTarget,
  resolveTarget,
  type Target,
  type TargetFlags,
} from './core/target.js';
export type { CopyItemsOptions, CopyItemsResult, CopyProgress, TableRef } from './core/transfer/copyItems.js';
export { copyItems } from './core/transfer/copyItems.js';
export type { CopyTableResult, Endpoint } from './core/transfer/copyTable.js';
export { type CopyTableOptions, copyTable } from './core/transfer/copyTable.js';
export type { ExportProgress, ScanPosition } from './core/transfer/exportItems.js';
export { type ExportOptions, exportItems } from './core/transfer/exportItems.js';
export type { CsvType } from './core/transfer/formats/csv.js';
// Bulk formats
export {
  createItemWriter,
  type Format,
  formatFromPath,
  readItemBatches,
  readItems,
} from './core/transfer/formats/index.js';
export type { ReadOptions as ReadItemsOptions, ReadRecord } from './core/transfer/formats/read.js';
export type { ByteInput } from './core/transfer/formats/source.js';
export type {
  EncodedPage,
  ItemWriter,
  PageItems,
  WriteReject,
  WriterOptions,
} from './core/transfer/formats/write.js';
export type { ImportPosition, ImportProgress, ImportReject } from './core/transfer/importItems.js';
export { type ImportOptions, type ImportResult, importItems } from './core/transfer/importItems.js';
export type { TruncateResult } from './core/transfer/truncate.js';
export { truncateTable } from './core/transfer/truncate.js';
export type { Clock } from './core/util/clock.js';
export type { CheckedText } from './core/wire/plainItem.js';
export type { ParsedBody } from './core/wire/wireScan.js';
export { type FailedAttempts, scanWirePage, WireScanPage } from './core/wire/wireScan.js';
export type { Transcode, WireBodyRest, WireBodyText } from './core/wire/wireText.js';
