/**
 * Stock arithmetic, without I/O: balances are sums of movement deltas; a balance is valid
 * when nothing is negative and no more is reserved than is on hand; lots are taken oldest
 * first. The services do the same thing in SQL, under row locks; these functions are the
 * specification the property tests hold both to.
 */

/** What a venue holds of one variant. `available` = on hand − reserved. */
export interface StockBalance {
  on_hand: number
  reserved: number
}

/** A movement's change to a balance. */
export interface StockDelta {
  on_hand: number
  reserved: number
}

export const emptyBalance: StockBalance = Object.freeze({ on_hand: 0, reserved: 0 })

export function availableOf(balance: StockBalance): number {
  return balance.on_hand - balance.reserved
}

/** On hand ≥ 0, reserved ≥ 0, reserved ≤ on hand: the check constraints of `stock_levels`. */
export function isValidBalance(balance: StockBalance): boolean {
  return (
    Number.isSafeInteger(balance.on_hand) &&
    Number.isSafeInteger(balance.reserved) &&
    balance.on_hand >= 0 &&
    balance.reserved >= 0 &&
    balance.reserved <= balance.on_hand
  )
}

/** The balance after `delta`, or null when it would break a rule (nothing changes then). */
export function applyDelta(balance: StockBalance, delta: StockDelta): StockBalance | null {
  const next = {
    on_hand: balance.on_hand + delta.on_hand,
    reserved: balance.reserved + delta.reserved,
  }
  return isValidBalance(next) ? next : null
}

/** The balance a ledger of deltas adds up to. */
export function balanceOf(deltas: Iterable<StockDelta>): StockBalance {
  let onHand = 0
  let reserved = 0
  for (const delta of deltas) {
    onHand += delta.on_hand
    reserved += delta.reserved
  }
  return { on_hand: onHand, reserved }
}

/**
 * The delta of each kind of stock operation for `quantity` units (quantity > 0):
 * - `receive`: units arrive (delivery, transfer in, surplus in a count)
 * - `take`: units leave from what is available (counter sale, return, damage, loss, shortfall)
 * - `reserve` / `release`: units are held for a checkout or a transfer, or let go again
 * - `take_reserved`: held units leave (a converted reservation, a transfer out)
 */
export type StockOperation = 'receive' | 'take' | 'reserve' | 'release' | 'take_reserved'

export function deltaOf(operation: StockOperation, quantity: number): StockDelta {
  switch (operation) {
    case 'receive':
      return { on_hand: quantity, reserved: 0 }
    case 'take':
      return { on_hand: -quantity, reserved: 0 }
    case 'reserve':
      return { on_hand: 0, reserved: quantity }
    case 'release':
      return { on_hand: 0, reserved: -quantity }
    case 'take_reserved':
      return { on_hand: -quantity, reserved: -quantity }
  }
}

/**
 * Whether `operation` of `quantity` may run on `balance`: the same condition the services'
 * conditional updates put in their `WHERE` clause. `take` and `reserve` need that much
 * available; `release` and `take_reserved` need that much reserved.
 */
export function canApply(balance: StockBalance, operation: StockOperation, quantity: number) {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) return false
  return applyDelta(balance, deltaOf(operation, quantity)) !== null
}

/** An open lot as FIFO sees it. */
export interface OpenLot {
  id: string
  delivered_at: Date
  remaining: number
}

/** How many units to take from one lot. */
export interface LotTake {
  lot_id: string
  quantity: number
}

/** Lots in FIFO order: delivered earliest first, then by id. */
export function fifoOrder<L extends OpenLot>(lots: readonly L[]): L[] {
  return [...lots].sort(
    (a, b) =>
      a.delivered_at.getTime() - b.delivered_at.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}

/**
 * Takes `quantity` units from the oldest lots first. Returns the takes (each > 0, none more
 * than its lot holds, summing to `quantity`), or null when the lots hold fewer units.
 */
export function takeFifo(lots: readonly OpenLot[], quantity: number): LotTake[] | null {
  if (!Number.isSafeInteger(quantity) || quantity < 0) return null
  const takes: LotTake[] = []
  let left = quantity
  for (const lot of fifoOrder(lots)) {
    if (left === 0) break
    if (lot.remaining <= 0) continue
    const take = Math.min(lot.remaining, left)
    takes.push({ lot_id: lot.id, quantity: take })
    left -= take
  }
  return left === 0 ? takes : null
}
