import { type ServerType, serve } from '@hono/node-server'
import type { App } from './app.js'

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Serves the app on Node's HTTP server; port 0 picks a free one. */
export function listen(app: App, port = 3000, hostname = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType
    try {
      server = serve({ fetch: app.fetch, port, hostname }, (info) => {
        resolve({
          url: `http://${hostname}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done, fail) =>
              server.close((error) => (error ? fail(error) : done())),
            ),
        })
      })
      server.once('error', reject)
    } catch (error) {
      reject(error)
    }
  })
}
