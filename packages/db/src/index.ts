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
export {
  constraintOf,
  type IsolationLevel,
  inTransaction,
  sqlState,
  sqlStateOf,
  type TransactionOptions,
} from './transaction.js'
