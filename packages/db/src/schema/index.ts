export * from './parties.js'
