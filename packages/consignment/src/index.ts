export * from './terms.js'
