export { type ProductCategory, productCategories, productCategoryLabels } from './categories.js'
export {
  type Cursor,
  type CursorKind,
  cursorId,
  decodeCursor,
  encodeCursor,
  pageOf,
} from './cursor.js'
export { getStoreProduct, listProducts, listStoreProducts } from './listing.js'
export {
  addClusterMember,
  clustersOf,
  consentToClusterMembership,
  createParty,
  getParty,
  listClusterMembers,
  listParties,
  openClusterRequests,
  removeClusterMember,
  updateParty,
} from './parties.js'
export {
  addProductMedia,
  addVariant,
  createProduct,
  createProducts,
  getProduct,
  removeProductMedia,
  removeVariant,
  reorderProductMedia,
  searchDocument,
  setProductMedia,
  setProductStatus,
  updateProduct,
  updateVariant,
} from './products.js'
export * from './schemas.js'
export { assertRole, hasRole, type Scope } from './scope.js'
export {
  maxSearchWords,
  parseSearchQuery,
  type SearchQuery,
  toTsQueryText,
} from './search-query.js'
export {
  assertProductTransition,
  checkProductTransition,
  checkSellable,
  type ProductFacts,
  productTransitions,
  type TransitionCheck,
} from './status.js'
export {
  addMembership,
  createUser,
  emailOrPhone,
  findUserByContact,
  findUserByEmail,
  getUser,
  listMemberships,
  membershipOf,
} from './users.js'
