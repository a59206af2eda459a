export { Batcher, type BatcherOptions, type Settled } from './batcher.js'
export {
  type CreateDatabaseOptions,
  createDatabase,
  type Database,
  type DatabaseHandle,
  type DatabaseKind,
  type Executor,
  migrateDatabase,
  migrationsFolder,
  redactUrl,
  type Schema,
} from './database.js'
export * from './schema/index.js'
export { insertRows, isOneOf, recordset, rowsOf } from './sets.js'
export {
  atomically,
  constraintOf,
  type IsolationLevel,
  inTransaction,
  mapUniqueViolation,
  sqlState,
  sqlStateOf,
  type TransactionOptions,
} from './transaction.js'
