export * from './access.js'
export * from './branding.js'
export * from './catalog.js'
export * from './parties.js'
