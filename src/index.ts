/**
 * ddbctl as a library: typed operations over the AWS SDK for JavaScript v3. Nothing here prints,
 * reads argv or the environment, or exits; failures are DdbErrors with a code and a fix-it message.
 */
export { type Clients, type ClientConfig, createClients, LOCAL_CREDENTIALS } from './core/clients.js';
export { DdbError, type DdbErrorCode, isDdbError } from './core/errors.js';
export { validateTableName } from './core/names.js';
export { credentialSource, describeTarget, resolveTarget, type Target, type TargetFlags } from './core/target.js';
export { type AttributeCheck, type LabOptions, type LabReport, type LabStep, labSampleItem, runLab, verifyItem } from './core/lab.js';
// Tables
export { createTable, createTableInput, type CreateTableOptions, LAB_DEFAULTS } from './core/control/createTable.js';
export { deleteTable, type DeleteTableOptions } from './core/control/deleteTable.js';
export { describeTable, findTable } from './core/control/describeTable.js';
export { listTables, type ListTablesOptions } from './core/control/listTables.js';
export { ensureTags, listTags } from './core/control/tags.js';
export { waitForTable, type WaitOptions } from './core/control/waitForTable.js';
// Items
export {
  fromDdbJson,
  type Item,
  type ItemValue,
  normalizeNumber,
  parseItem,
  stringifyDdbJson,
  stringifyItem,
  toDdbJson,
} from './core/data/codec.js';
export { deleteItem, deleteItemInput, type DeleteItemOptions } from './core/data/deleteItem.js';
export { buildExpressions, Placeholders, type UpdateActions } from './core/data/expressions.js';
export { getItem, getItemInput, type GetItemOptions } from './core/data/getItem.js';
export { getKeySchema, type KeySchema } from './core/data/keySchema.js';
export { putItem, putItemInput, type PutItemOptions } from './core/data/putItem.js';
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
export { updateItem, updateItemInput, type UpdateItemOptions } from './core/data/updateItem.js';
export { itemSize, validateItem } from './core/data/validate.js';
// Bulk formats
export { createItemWriter, type Format, formatFromPath, readItems } from './core/transfer/formats/index.js';
