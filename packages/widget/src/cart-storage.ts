// Where the widget remembers the buyer's cart id, and its orders' access tokens: localStorage,
// so they survive reloads, the provider's page and the gallery's other pages; when storage is blocked (a private window, a browser that
// refuses third-party storage, a full quota) it falls back to memory for the page's life.

export interface CartStorage {
  get(): string | null
  set(cartId: string): void
  clear(): void
}

/**
 * A cart id store under `key`. `storage` is called on every use (reading `localStorage` can
 * itself throw a SecurityError); any failure switches to memory for good, keeping the id.
 */
export function cartStorage(key: string, storage: () => Storage | null | undefined): CartStorage {
  let memory: string | null = null
  let persistent = true
  const attempt = <T>(use: (s: Storage) => T): T | undefined => {
    if (!persistent) return undefined
    try {
      // No storage at all throws too (a TypeError on null).
      return use(storage() as Storage)
    } catch {
      persistent = false
      return undefined
    }
  }
  return {
    get() {
      const stored = attempt((s) => s.getItem(key))
      return persistent ? (stored ?? null) : memory
    },
    set(cartId) {
      memory = cartId
      attempt((s) => s.setItem(key, cartId))
    },
    clear() {
      memory = null
      attempt((s) => s.removeItem(key))
    },
  }
}
