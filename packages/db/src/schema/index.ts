export * from './access.js'
export * from './branding.js'
export * from './parties.js'
