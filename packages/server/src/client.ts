import { createHmac, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

export interface ClientOptions {
  /**
   * The server is behind one reverse proxy that appends the client's address to
   * `X-Forwarded-For`: its last entry is the client. Off by default, since a client can
   * write that header itself.
   */
  trustProxy?: boolean
}

/**
 * The address of the client calling. Read from the Node request in `c.env` (which the shop
 * passes on for its in-process calls, so each buyer is told apart), not from headers a
 * client could forge, unless `trustProxy` says a proxy wrote them. Undefined where the
 * runtime tells no address (`app.request` in tests, a runtime other than Node): then no
 * per-client limit applies, rather than one shared by every buyer.
 */
export function clientAddress(c: Context, options: ClientOptions = {}): string | undefined {
  if (options.trustProxy) {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
    const forwarded = incoming?.headers['x-forwarded-for'] ?? c.req.header('X-Forwarded-For')
    const last = String(forwarded ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .at(-1)
    if (last !== undefined) return last
  }
  try {
    return getConnInfo(c).remote.address
  } catch {
    return undefined
  }
}

/**
 * The buyer a client stands for (`orders.buyer_key`): an HMAC of its address under a server
 * secret, so no address is stored and none can be guessed back from the key. Instances that
 * share a database must share the secret for their counts to agree. Undefined without an
 * address (`clientAddress`).
 */
export function buyerKeys(secret: string | undefined, options: ClientOptions = {}) {
  const key = secret ?? randomBytes(32).toString('hex')
  return (c: Context): string | undefined => {
    const address = clientAddress(c, options)
    return address === undefined
      ? undefined
      : createHmac('sha256', key).update(address).digest('base64url')
  }
}
