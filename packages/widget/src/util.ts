// Small pure helpers, kept apart from the DOM so they can be tested in Node.

/** The query parameter a payment provider sends the buyer back with. */
export const orderParam = 'mitra_order'

/** The query parameter that brings the order's access token back with it. */
export const tokenParam = 'mitra_token'

/**
 * The page to come back to after paying: `href` without an earlier order, with
 * `mitra_order={ORDER_ID}&mitra_token={ORDER_TOKEN}`, which the server fills in with the
 * order's id and access token (so the order can be read back even where storage is
 * blocked). The braces are written as they are (URLSearchParams would escape them).
 */
export function returnUrl(href: string): string {
  const url = new URL(href)
  url.hash = ''
  url.searchParams.delete(orderParam)
  url.searchParams.delete(tokenParam)
  const base = url.href
  return `${base}${url.search ? '&' : '?'}${orderParam}={ORDER_ID}&${tokenParam}={ORDER_TOKEN}`
}

/**
 * The order a provider sent the buyer back with, if the URL carries a well-formed id, and
 * its access token if it carries one.
 */
export function returnedOrder(href: string): { id: string; token: string | null } | null {
  const params = new URL(href).searchParams
  const id = params.get(orderParam)
  if (id === null || !/^ord_[A-Za-z0-9]{8,40}$/.test(id)) return null
  const token = params.get(tokenParam)
  return { id, token: token !== null && /^otok_[\w-]{16,100}$/.test(token) ? token : null }
}

/** `href` without the order's access token: what the address bar, history and links keep. */
export function withoutToken(href: string): string {
  const url = new URL(href)
  url.searchParams.delete(tokenParam)
  return url.href
}

export type OrderOutcome = 'paid' | 'pending' | 'payFailed' | 'orderExpired' | 'refunded'

const outcomes: Record<string, OrderOutcome> = {
  pending_payment: 'pending',
  expired: 'orderExpired',
  canceled: 'payFailed',
  refunded: 'refunded',
}

/** What a buyer needs to know of an order's status (paid, ready, shipped… are all paid). */
export function orderOutcome(status: string): OrderOutcome {
  return outcomes[status] ?? 'paid'
}

/** A server-relative `srcset` (`/media/a.jpg 320w, …`) made absolute against `base`. */
export function absoluteSrcset(srcset: string, base: string): string {
  return srcset
    .split(',')
    .map((entry) => {
      const [url, ...size] = entry.trim().split(/\s+/)
      return url ? [new URL(url, base).href, ...size].join(' ') : ''
    })
    .filter(Boolean)
    .join(', ')
}

/** A brand kit's colour, only when it is one (`#rrggbb`): it goes into a stylesheet. */
export function hexColor(value: unknown): string | undefined {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : undefined
}

/** The API's base URL given a script's own URL: the folder above `/widget/`. */
export function apiBaseOf(scriptUrl: string): string {
  return new URL('..', scriptUrl).href.replace(/\/$/, '')
}
