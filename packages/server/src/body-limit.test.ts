import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { useListeningTestApi } from './test-support.js'

/** One POST over a keep-alive agent: the status, the Connection header, or the socket error. */
function post(url: string, agent: http.Agent, size: number) {
  return new Promise<{ status?: number; connection?: string; error?: string }>((resolve) => {
    const request = http.request(
      `${url}/v1/admin/parties`,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': size },
      },
      (response) => {
        response.resume()
        response.on('end', () =>
          resolve({ status: response.statusCode, connection: response.headers.connection }),
        )
      },
    )
    request.on('error', (error) => resolve({ error: error.message }))
    request.end(Buffer.alloc(size, 'a'))
  })
}

describe('a body over the limit, over real HTTP', () => {
  const { url } = useListeningTestApi('pglite', { maxJsonBytes: 1024 * 1024 })

  // The client reads the 413 even while it is still sending; a client that keeps writing a
  // body the server will not read sees its write fail after the answer, as with any server.
  it('is a 413 that closes its connection, and the client goes on on a fresh one', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    for (const size of [2 * 1024 * 1024, 6 * 1024 * 1024, 40 * 1024 * 1024]) {
      const tooLarge = await post(url(), agent, size)
      expect(tooLarge).toEqual({ status: 413, connection: 'close' })
      // The next request on the same agent is answered (401: no key), not a hung-up socket.
      const next = await post(url(), agent, 2)
      expect(next.status).toBe(401)
    }
    agent.destroy()
  }, 60_000)
})
