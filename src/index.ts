/**
 * ddbctl as a library: typed operations over the AWS SDK for JavaScript v3. Nothing here prints,
 * reads argv or the environment, or exits; failures are DdbErrors with a code and a fix-it message.
 */

// Items
// Numbers are NumberValues (exact text); plain JS numbers are taken where exact (fromJsItem).
export { NumberValue } from '@aws-sdk/lib-dynamodb';
export { type BatchGetOptions, batchGet } from './core/batch/batchGet.js';
// Batches and transactions
export {
  type BatchWriteOptions,
  type BatchWriteResult,
  batchWrite,
  type WriteRequest,
} from './core/batch/batchWrite.js';
export { type ClientConfig, type Clients, createClients, LOCAL_CREDENTIALS } from './core/clients.js';
export { detectCaps } from './core/control/caps.js';
export { copyItems } from './core/control/copyItems.js';
// Tables
export {
  type CreateTableOptions,
  createTable,
  createTableInput,
  LAB_DEFAULTS,
} from './core/control/createTable.js';
export { type DeleteTableOptions, deleteTable } from './core/control/deleteTable.js';
export { describeTable, findTable } from './core/control/describeTable.js';
export { type ListTablesOptions, listTables } from './core/control/listTables.js';
export { ensureTags, listTags } from './core/control/tags.js';
export { waitForIndexes } from './core/control/waitForIndexes.js';
export { type WaitOptions, waitForTable } from './core/control/waitForTable.js';
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
export { buildExpressions, Placeholders, type UpdateActions } from './core/data/expressions.js';
export { type GetItemOptions, getItem, getItemInput } from './core/data/getItem.js';
export { getKeySchema, type KeySchema } from './core/data/keySchema.js';
export { executeStatement, executeStatementAll, executeStatementPages } from './core/data/partiql.js';
export { type PutItemOptions, putItem, putItemInput } from './core/data/putItem.js';
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
export { parseTransactActions, parseTransactGets, transactGet, transactWrite } from './core/data/transact.js';
export { type UpdateItemOptions, updateItem, updateItemInput } from './core/data/updateItem.js';
export { itemSize, validateItem } from './core/data/validate.js';
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
// Table specs: plan (pure) and apply
export { applyPlan, prepareSpecs, prepareTable } from './core/spec/apply.js';
export { type EngineCaps, formatPlan, planTable, type TablePlan } from './core/spec/plan.js';
export {
  createTableInput as specCreateTableInput,
  parseSpecFile,
  type TableSpec,
} from './core/spec/tableSpec.js';
export {
  credentialSource,
  describeTarget,
  resolveTarget,
  type Target,
  type TargetFlags,
} from './core/target.js';
export { type CopyTableOptions, copyTable } from './core/transfer/copyTable.js';
export { type ExportOptions, exportItems } from './core/transfer/exportItems.js';
// Bulk formats
export {
  createItemWriter,
  type Format,
  formatFromPath,
  readItemBatches,
  readItems,
} from './core/transfer/formats/index.js';
export { type ImportOptions, type ImportResult, importItems } from './core/transfer/importItems.js';
export { truncateTable } from './core/transfer/truncate.js';
export { scanWirePage, WireScanPage } from './core/transfer/wireScan.js';
