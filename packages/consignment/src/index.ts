export * from './agreements/index.js'
export { endConsignment } from './end-agreement.js'
export * from './stock/index.js'
export * from './terms.js'
