import { MitraError } from '@mitra/core'
import { productStatuses } from '@mitra/db'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assertRole, hasRole } from './scope.js'
import {
  assertProductTransition,
  checkProductTransition,
  checkSellable,
  productTransitions,
} from './status.js'

describe('product status transitions', () => {
  const priced = { pricedVariants: 1 }

  it('allows exactly the listed moves', () => {
    const allowed = productStatuses.flatMap((from) =>
      productStatuses
        .filter((to) => checkProductTransition(from, to, priced).ok && from !== to)
        .map((to) => `${from}→${to}`),
    )
    expect(allowed.sort()).toEqual(
      [
        'active→archived',
        'active→draft',
        'archived→draft',
        'draft→active',
        'draft→archived',
      ].sort(),
    )
  })

  it('refuses archived → active with a stable code', () => {
    expect(checkProductTransition('archived', 'active', priced)).toMatchObject({
      ok: false,
      code: 'illegal_status_transition',
    })
  })

  it('needs a priced variant to go active', () => {
    expect(checkProductTransition('draft', 'active', { pricedVariants: 0 })).toMatchObject({
      ok: false,
      code: 'product_incomplete',
    })
    expect(checkProductTransition('draft', 'active', { pricedVariants: 3 })).toEqual({
      ok: true,
      changed: true,
    })
  })

  it('treats a move to the same status as a no-op, even for an incomplete product', () => {
    for (const status of productStatuses) {
      expect(checkProductTransition(status, status, { pricedVariants: 0 })).toEqual({
        ok: true,
        changed: false,
      })
    }
  })

  it('agrees with the transition table for any facts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...productStatuses),
        fc.constantFrom(...productStatuses),
        fc.nat(5),
        (from, to, pricedVariants) => {
          const result = checkProductTransition(from, to, { pricedVariants })
          const listed = from === to || productTransitions[from].includes(to)
          const sellable = to !== 'active' || pricedVariants > 0 || from === to
          expect(result.ok).toBe(listed && sellable)
        },
      ),
    )
  })

  it('keeps an active product sellable', () => {
    expect(checkSellable('active', { pricedVariants: 0 }).ok).toBe(false)
    expect(checkSellable('draft', { pricedVariants: 0 }).ok).toBe(true)
    expect(checkSellable('archived', { pricedVariants: 0 }).ok).toBe(true)
  })

  it('throws 409s naming status', () => {
    for (const [from, to, facts, code] of [
      ['archived', 'active', priced, 'illegal_status_transition'],
      ['draft', 'active', { pricedVariants: 0 }, 'product_incomplete'],
    ] as const) {
      try {
        assertProductTransition(from, to, facts)
        expect.unreachable()
      } catch (error) {
        expect(error).toBeInstanceOf(MitraError)
        expect((error as MitraError).code).toBe(code)
        expect((error as MitraError).status).toBe(409)
        expect((error as MitraError).errors[0]?.path).toBe('status')
      }
    }
    expect(assertProductTransition('draft', 'archived', priced)).toEqual({ changed: true })
  })
})

describe('roles', () => {
  it('ranks owner above staff', () => {
    expect(hasRole('owner', 'staff')).toBe(true)
    expect(hasRole('owner', 'owner')).toBe(true)
    expect(hasRole('staff', 'staff')).toBe(true)
    expect(hasRole('staff', 'owner')).toBe(false)
  })

  it('assertRole refuses an insufficient role with 403 forbidden', () => {
    expect(() => assertRole({ partyId: 'pty_x', role: 'owner' }, 'owner')).not.toThrow()
    try {
      assertRole({ partyId: 'pty_x', role: 'staff' }, 'owner')
      expect.unreachable()
    } catch (error) {
      expect((error as MitraError).code).toBe('forbidden')
      expect((error as MitraError).status).toBe(403)
    }
  })
})
