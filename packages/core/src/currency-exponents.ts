// No imports: browsers load this through `@mitra/core/money-format`.

/**
 * Minor-unit exponents of the currencies mitra handles.
 *
 * IDR is 0 here although ISO 4217 lists 2: rupiah prices are whole rupiah in practice and
 * Midtrans only takes whole rupiah. Stripe's two-decimal IDR is handled in
 * `provider-amounts.ts`, at the provider boundary only.
 */
export const currencyExponents = {
  IDR: 0,
  JPY: 0,
  KRW: 0,
  VND: 0,
  USD: 2,
  EUR: 2,
  GBP: 2,
  SGD: 2,
  MYR: 2,
  AUD: 2,
  NZD: 2,
  THB: 2,
  PHP: 2,
  CNY: 2,
  HKD: 2,
  CHF: 2,
  CAD: 2,
} as const
