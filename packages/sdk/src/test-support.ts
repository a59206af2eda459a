import { type TestParty, useTestApi } from '@mitra/server/testing'
import { Mitra, type MitraOptions } from './index.js'

/**
 * The SDK against the real server, in-process on PGlite: `useTestApi` plus a `Mitra` client
 * for any test party, calling the app through its `request` (no sockets). `appOptions` go to
 * the app (its `payments`, say).
 */
export function useSdkAgainstServer(appOptions: Parameters<typeof useTestApi>[1] = {}) {
  const api = useTestApi('pglite', appOptions)
  const clientFor = (
    party: Pick<TestParty, 'secret' | 'publishable'>,
    options: Partial<MitraOptions> = {},
  ) =>
    new Mitra({
      baseUrl: 'http://mitra.test',
      secretKey: party.secret,
      publishableKey: party.publishable,
      fetch: async (request) => api.app().request(request),
      maxRetries: 0,
      ...options,
    })
  return { ...api, clientFor }
}
