import { MitraError } from '@mitra/core'
import type { ProductStatus } from '@mitra/db'

/** Which status a product may move to from each status. */
export const productTransitions: Readonly<Record<ProductStatus, readonly ProductStatus[]>> = {
  draft: ['active', 'archived'],
  active: ['draft', 'archived'],
  // Archived products come back as drafts, to be checked before they sell again.
  archived: ['draft'],
}

/** What the rules need to know about a product besides its status. */
export interface ProductFacts {
  /** Variants with a retail price set. */
  pricedVariants: number
}

export type TransitionCheck =
  | { ok: true; changed: boolean }
  | { ok: false; code: 'illegal_status_transition' | 'product_incomplete'; message: string }

/**
 * Whether a product may move from `from` to `to`. Moving to the status it already has is
 * allowed and changes nothing; `active` needs at least one variant with a price.
 */
export function checkProductTransition(
  from: ProductStatus,
  to: ProductStatus,
  facts: ProductFacts,
): TransitionCheck {
  if (from === to) return { ok: true, changed: false }
  if (!productTransitions[from].includes(to)) {
    const allowed = productTransitions[from].join(' or ')
    return {
      ok: false,
      code: 'illegal_status_transition',
      message: `A product that is ${from} cannot become ${to}; it can become ${allowed}`,
    }
  }
  const sellable = checkSellable(to, facts)
  return sellable.ok ? { ok: true, changed: true } : sellable
}

/**
 * Whether a product in `status` may be in the state `facts` describe: an active product
 * always keeps at least one priced variant.
 */
export function checkSellable(
  status: ProductStatus,
  facts: ProductFacts,
): { ok: true } | { ok: false; code: 'product_incomplete'; message: string } {
  if (status === 'active' && facts.pricedVariants < 1) {
    return {
      ok: false,
      code: 'product_incomplete',
      message: 'An active product needs at least one variant with a price',
    }
  }
  return { ok: true }
}

/** `checkProductTransition` that throws a 409 naming `status` when the move is refused. */
export function assertProductTransition(
  from: ProductStatus,
  to: ProductStatus,
  facts: ProductFacts,
): { changed: boolean } {
  const result = checkProductTransition(from, to, facts)
  if (!result.ok) {
    throw new MitraError(result.code, result.message, {
      errors: [{ path: 'status', code: result.code, message: result.message }],
    })
  }
  return { changed: result.changed }
}
