import { MemoryImageStore } from '@mitra/branding'
import { mountConsole } from '@mitra/console'
import { ensurePlatform } from '@mitra/server'
import { useListeningTestApi } from '@mitra/server/testing'
import { type DemoKeys, seedDemo } from '@mitra/storefront/demo'
import { mountShop } from '@mitra/storefront/shop'
import { beforeAll } from 'vitest'

/**
 * The demo network with the console and the shop, served on a real socket (PGlite), for one
 * test file. `signIn(party)` gives a cookie-keeping client of the console as that party's demo
 * person, posting forms as a browser with JavaScript off would.
 */
export function useConsoleNetwork() {
  const imageStore = new MemoryImageStore()
  const { api, url } = useListeningTestApi('pglite', { imageStore })
  let keys: DemoKeys = {}
  beforeAll(async () => {
    const { db } = api.database()
    await ensurePlatform(db)
    keys = await seedDemo(db, imageStore, [])
    await mountConsole(api.app(), { database: api.database(), baseUrl: url() })
    await mountShop(api.app(), { database: api.database(), baseUrl: url() })
  }, 120_000)

  return {
    api,
    url,
    keys: () => keys,
    /** The party's console root, `/console/p/pty_…`. */
    home: (party: string) => `/console/p/${keys[party]?.party_id}`,
    signIn: async (party: string) => {
      const person = keys[party]?.person
      if (person === undefined) throw new Error(`no demo person for ${party}`)
      const client = new ConsoleClient(url())
      await client.get('/console/sign-in')
      const signedIn = await client.post('/console/sign-in', {
        contact: person.phone,
        password: person.password,
      })
      if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`)
      // Where it leads, as a browser would follow: the page's form token is the session's.
      let next = signedIn.location
      while (next !== null) next = (await client.get(next)).location
      return client
    },
  }
}

export interface Answer {
  status: number
  html: string
  /** Where a redirect points, path and query. */
  location: string | null
}

/** A browser without JavaScript: keeps cookies, repeats the last page's form token. */
export class ConsoleClient {
  readonly #cookies = new Map<string, string>()
  #csrf = ''

  constructor(readonly base: string) {}

  async #send(path: string, init: RequestInit): Promise<Answer> {
    const response = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        Cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, value] = (pair as string).split('=') as [string, string]
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
    const html = await response.text()
    const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1]
    if (token) this.#csrf = token
    const location = response.headers.get('location')
    return {
      status: response.status,
      html,
      location: location === null ? null : location.replace(this.base, ''),
    }
  }

  get(path: string): Promise<Answer> {
    return this.#send(path, { method: 'GET' })
  }

  /** Posts a form as the page would: its fields and the page's form token. */
  post(path: string, fields: Record<string, string>): Promise<Answer> {
    return this.#send(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.base },
      body: new URLSearchParams({ csrf: this.#csrf, ...fields }).toString(),
    })
  }

  /** Posts a multipart form (a file upload) with the page's form token. */
  postMultipart(path: string, form: FormData): Promise<Answer> {
    form.set('csrf', this.#csrf)
    return this.#send(path, { method: 'POST', headers: { Origin: this.base }, body: form })
  }
}
