import { describe, expect, it } from 'vitest'
import { cartStorage } from './cart-storage.js'

/** A Storage whose methods can be made to throw, as browsers do when storage is blocked. */
function fakeStorage(fail: { get?: boolean; set?: boolean } = {}): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem(key: string) {
      if (fail.get) throw new DOMException('blocked', 'SecurityError')
      return items.get(key) ?? null
    },
    setItem(key: string, value: string) {
      if (fail.set) throw new DOMException('full', 'QuotaExceededError')
      items.set(key, value)
    },
    removeItem: (key: string) => {
      items.delete(key)
    },
  }
}

describe('where the cart id is remembered', () => {
  it('keeps it in storage, where a reload (a new cartStorage) finds it', () => {
    const storage = fakeStorage()
    const first = cartStorage('mitra.cart.k', () => storage)
    expect(first.get()).toBeNull()
    first.set('cart_1')
    expect(cartStorage('mitra.cart.k', () => storage).get()).toBe('cart_1')
    expect(storage.getItem('mitra.cart.k')).toBe('cart_1')
    first.clear()
    expect(cartStorage('mitra.cart.k', () => storage).get()).toBeNull()
  })

  it('falls back to memory when reading localStorage itself throws (storage blocked)', () => {
    const blocked = cartStorage('k', () => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    })
    expect(blocked.get()).toBeNull()
    blocked.set('cart_2')
    expect(blocked.get()).toBe('cart_2')
    blocked.clear()
    expect(blocked.get()).toBeNull()
  })

  it('falls back to memory when there is no storage, or getItem throws', () => {
    const none = cartStorage('k', () => undefined)
    none.set('cart_3')
    expect(none.get()).toBe('cart_3')
    const failing = cartStorage('k', () => fakeStorage({ get: true }))
    failing.set('cart_4')
    expect(failing.get()).toBe('cart_4')
  })

  it('keeps the id it was given when writing fails (a full quota), and stays in memory', () => {
    const storage = fakeStorage({ set: true })
    const full = cartStorage('k', () => storage)
    full.set('cart_5')
    expect(full.get()).toBe('cart_5')
    full.set('cart_6')
    expect(full.get()).toBe('cart_6')
    // Once failed, storage is left alone: the page keeps its cart in memory.
    expect(storage.length).toBe(0)
  })
})
