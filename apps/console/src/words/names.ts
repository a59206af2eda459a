import type { Schemas } from '@mitra/sdk'

/*
 * What the plain-words views need to name things instead of showing ids. The page gathers it
 * from the API (see each field) and passes it in; the views never fetch anything themselves.
 */

/** A product variant as people know it: the product's title and the variant's SKU. */
export interface VariantName {
  title: { id: string; en?: string | null }
  sku: string
}

/**
 * One line of a sale, as the sales API records it. (Its date needs no copy: the ledger posts a
 * sale at its `sold_at`, which the statement gives as the entry's `occurred_at`.)
 */
export interface SaleLineFacts {
  variant_id: string
  quantity: number
  unit_price: { amount: number; currency: string }
}

export interface Names {
  /**
   * Display names by party id: the agreement's producer and venue, the cooperative of its
   * terms, and the platform when known. From `admin.party.get()` (your own),
   * `admin.partners.get(id)` / `.list()` (`party.name` of a partner profile),
   * `admin.parties.get(id)` (the platform operator may read any), or a store product's
   * `producer`. A party missing here is called by its role ("the cooperative"), never by id.
   */
  parties?: Readonly<Record<string, string>>
  /**
   * The agreement's two sides, so sentences say "Kafe Banaran 9" rather than "the venue":
   * pass the `AgreementWithVersions` (or the `AgreementStatement`) itself.
   */
  agreement?: { producer_id: string; venue_id: string }
  /**
   * Product title and SKU by variant id: `variantNames(products)` over `admin.products.list()`
   * (a producer's own) or the store catalogue `store.products.list()` (a venue's partners').
   */
  variants?: Readonly<Record<string, VariantName>>
  /**
   * What each sale line of a statement sold, by sale line id: `saleLineFacts(sales)` over
   * `admin.sales.list({ from, to })` for the statement's period. Gives quantity and unit
   * price, which a statement does not carry.
   */
  saleLines?: Readonly<Record<string, SaleLineFacts>>
}

/** Party names by id from anything with an id and a name (`Party`, a profile's `party` …). */
export function partyNames(
  parties: Iterable<{ id: string; name: string }>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const party of parties) out[party.id] = party.name
  return out
}

/** Title and SKU by variant id, from admin `Product`s or store `StoreProduct`s. */
export function variantNames(
  products: Iterable<{
    title: { id: string; en?: string | null }
    variants: readonly { id: string; sku: string }[]
  }>,
): Record<string, VariantName> {
  const out: Record<string, VariantName> = {}
  for (const product of products) {
    for (const variant of product.variants) {
      out[variant.id] = { title: product.title, sku: variant.sku }
    }
  }
  return out
}

/**
 * Sale lines by sale line id, from the sales API. The ledger names a sale line
 * `${sale.id}:${variant_id}` (`saleLineIdOf` in @mitra/revenue-share); a sale has at most one
 * line per variant, so the key is exact.
 */
export function saleLineFacts(
  sales: Iterable<Pick<Schemas['Sale'], 'id' | 'lines'>>,
): Record<string, SaleLineFacts> {
  const out: Record<string, SaleLineFacts> = {}
  for (const sale of sales) {
    for (const line of sale.lines) {
      out[`${sale.id}:${line.variant_id}`] = {
        variant_id: line.variant_id,
        quantity: line.quantity,
        unit_price: line.unit_price,
      }
    }
  }
  return out
}
