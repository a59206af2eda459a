export * from './access.js'
export * from './parties.js'
