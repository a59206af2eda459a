export { allocate, allocateMoney } from './allocate.js'
export { type Clock, ManualClock, systemClock } from './clock.js'
export {
  type CurrencyCode,
  currency,
  currencyCodes,
  currencyExponents,
  exponentOf,
  isCurrencyCode,
} from './currency.js'
export {
  type ErrorCode,
  errorCatalog,
  type FieldError,
  fieldError,
  fromZodError,
  isMitraError,
  MitraError,
  type MitraErrorOptions,
  type ProblemDetails,
  problemType,
  requestPath,
} from './errors.js'
export {
  type Id,
  type IdKind,
  type IdPrefix,
  idPrefixes,
  idTimestamp,
  isId,
  newId,
  parseId,
} from './ids.js'
export {
  add,
  compare,
  equals,
  isNegative,
  isPositive,
  isZero,
  type Money,
  max,
  min,
  money,
  multiply,
  negate,
  percentage,
  subtract,
  sum,
  toDecimalString,
  toSafeInteger,
  zero,
} from './money.js'
export { type FormatMoneyOptions, formatMoney } from './money-format.js'
export { type ParseMoneyOptions, parseMoney } from './money-text.js'
export {
  fromMidtransAmount,
  fromStripeAmount,
  toMidtransAmount,
  toStripeAmount,
} from './provider-amounts.js'
export {
  isTransientStatus,
  ProviderError,
  type RetryOptions,
  withRetries,
} from './retry.js'
export { divideRounded, type RoundingMode, roundingModes } from './rounding.js'
export {
  amountSchema,
  answered,
  basisPointsSchema,
  currencyCodeSchema,
  idSchema,
  maxAmount,
  moneySchema,
  priceSchema,
} from './schemas.js'
export { conflict, notFound, parseInput, parseRequestInput } from './validate.js'
