import { describe, expect, it } from 'vitest'
import { ConsoleClient, useConsoleNetwork } from './console-support.js'

// The console's doors and forms as a browser without JavaScript meets them: sign-in and its
// limits, form tokens, refusals on the failing field in the person's language, roles.

const network = useConsoleNetwork()

describe('signing in to the console', () => {
  it('says a wrong password in the person’s language, then slows a guesser down', async () => {
    const person = network.keys().madu?.person as { phone: string; password: string }
    const client = new ConsoleClient(network.url())
    await client.get('/console/sign-in')
    const wrong = await client.post('/console/sign-in', {
      contact: person.phone,
      password: 'bukan sandinya',
    })
    expect(wrong.status).toBe(401)
    expect(wrong.html).toContain('Email/nomor HP atau kata sandi salah.')
    const malformed = await client.post('/console/sign-in', { contact: 'halo', password: 'x' })
    expect(malformed.status).toBe(422)
    expect(malformed.html).toContain('id="contact" name="contact"')
    expect(malformed.html).toMatch(/aria-invalid="true"[^>]*aria-describedby="contact-error"/)
    for (let i = 0; i < 4; i++) {
      await client.post('/console/sign-in', { contact: person.phone, password: `tebak ${i}` })
    }
    // Past the limit even the right password waits, and the page says how long.
    const right = await client.post('/console/sign-in', {
      contact: person.phone,
      password: person.password,
    })
    expect(right.status).toBe(429)
    expect(right.html).toMatch(/Coba lagi dalam \d+ menit/)
  })

  it('refuses a form without its token, or from another site, and changes nothing', async () => {
    const sri = await network.signIn('batik')
    const deliveries = await sri.get(`${network.home('batik')}/deliveries`)
    expect(deliveries.status).toBe(200)
    const before = (deliveries.html.match(/class="card"/g) ?? []).length
    const forged = await fetch(`${network.url()}${network.home('batik')}/deliveries`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'venue_id=x&note_number=SJ-1',
      redirect: 'manual',
    })
    // Without the session it is a sign-in redirect; with it but without the token, a 403.
    expect([303, 403]).toContain(forged.status)
    const noToken = await sri.post(`${network.home('batik')}/deliveries`, { csrf: '' })
    expect(noToken.status).toBe(403)
    expect(noToken.html).toContain('Formulir ini kedaluwarsa')
    const after = await sri.get(`${network.home('batik')}/deliveries`)
    expect((after.html.match(/class="card"/g) ?? []).length).toBe(before)
  })
})

describe('forms', () => {
  it('mark the failing field in the person’s language and save nothing', async () => {
    const sri = await network.signIn('batik')
    const page = await sri.get(`${network.home('batik')}/deliveries`)
    const venue = /<option value="(pty_[0-9a-z]+)"[^>]*>Kafe Banaran 9/.exec(
      page.html,
    )?.[1] as string
    const variant = /name="qty-(var_[0-9a-z]+)"/.exec(page.html)?.[1] as string
    const refused = await sri.post(`${network.home('batik')}/deliveries`, {
      venue_id: venue,
      note_number: 'SJ/TOLAK/1',
      [`qty-${variant}`]: '-3',
    })
    expect(refused.status).toBe(422)
    expect(refused.html).toMatch(
      new RegExp(
        `id="qty-${variant}"[^>]*aria-invalid="true"[^>]*aria-describedby="qty-${variant}-error"`,
      ),
    )
    expect(refused.html).toContain(
      `<p class="field-error" id="qty-${variant}-error">terlalu kecil</p>`,
    )
    // What was typed is still there, and nothing was sent.
    expect(refused.html).toContain('value="SJ/TOLAK/1"')
    expect((await sri.get(`${network.home('batik')}/deliveries`)).html).not.toContain('SJ/TOLAK/1')

    // The same in English, once chosen.
    await sri.get(`/console/lang/en?next=${network.home('batik')}`)
    const english = await sri.post(`${network.home('batik')}/deliveries`, {
      venue_id: venue,
      note_number: 'SJ/TOLAK/2',
      [`qty-${variant}`]: '-3',
    })
    expect(english.html).toContain(`<p class="field-error" id="qty-${variant}-error">too small</p>`)
    expect(english.html).toContain('<html lang="en">')
  })

  it('let an owner invite a viewer, who reads but cannot change anything', async () => {
    const dewi = await network.signIn('kafe')
    await dewi.get(`${network.home('kafe')}/people`)
    const invited = await dewi.post(`${network.home('kafe')}/people/invite`, { role: 'viewer' })
    const link = /(\/console\/invite\/inv_[A-Za-z0-9_-]+)/.exec(invited.html)?.[1] as string
    expect(link).toBeTruthy()
    const newcomer = new ConsoleClient(network.url())
    expect((await newcomer.get(link)).html).toContain('Bergabung dengan Kafe Banaran 9')
    const joined = await newcomer.post(link, {
      name: 'Rudi',
      contact: '0813 7777 8888',
      password: 'kopi tubruk 9',
    })
    expect(joined.location).toBe(network.home('kafe'))
    // Once only.
    expect((await new ConsoleClient(network.url()).get(link)).status).toBe(404)
    // A viewer reads the counter, and a sale is refused by the API (nothing sold).
    const counter = await newcomer.get(`${network.home('kafe')}/counter`)
    expect(counter.status).toBe(200)
    const variant = /name="qty-(var_[0-9a-z]+)"/.exec(counter.html)?.[1] as string
    const sale = await newcomer.post(`${network.home('kafe')}/counter`, {
      [`qty-${variant}`]: '1',
      channel: 'cash',
      receipt_number: 'N-VIEW',
    })
    expect(sale.status).toBe(422)
    expect(sale.html).toContain('A viewer can read but not change anything')
    const sales = await fetch(`${network.url()}/v1/admin/sales`, {
      headers: { Authorization: `Bearer ${network.keys().kafe?.secret_key}` },
    })
    const body = (await sales.json()) as { data: { receipt_number: string }[] }
    expect(body.data.map((s) => s.receipt_number)).not.toContain('N-VIEW')
  })
})

describe('the console beside the shop and the API', () => {
  it('keeps its headers and form checks to its own paths', async () => {
    const shop = await fetch(`${network.url()}/`)
    expect(shop.status).toBe(200)
    expect(shop.headers.get('content-security-policy')).not.toContain('style-src-attr')
    const console = await fetch(`${network.url()}/console/sign-in`)
    expect(console.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(console.headers.get('cache-control')).toBe('private, no-store')
    // An API write and a shop form need no console token.
    const cart = await fetch(`${network.url()}/v1/store/carts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${network.keys().kafe?.publishable_key}` },
    })
    expect(cart.status).toBe(201)
    const lang = await fetch(`${network.url()}/lang/en?next=/en`, { redirect: 'manual' })
    expect(lang.status).toBeLessThan(400)
  })
})

describe('the platform', () => {
  it('onboards a business and hands its owner a one-time link to join', async () => {
    const rina = await network.signIn('platform')
    const made = await rina.post(`${network.home('platform')}/parties`, {
      name: 'Toko Oleh-oleh Ambarawa',
      slug: 'toko-ambarawa',
      kind: 'venue',
    })
    expect(made.status).toBe(201)
    const link = /(\/console\/invite\/inv_[A-Za-z0-9_-]+)/.exec(made.html)?.[1] as string
    const owner = new ConsoleClient(network.url())
    await owner.get(link)
    const joined = await owner.post(link, {
      name: 'Pak Agus',
      contact: 'agus@ambarawa.example',
      password: 'oleh-oleh 2026',
    })
    const home = (await owner.get(joined.location as string)).html
    expect(home).toContain('Toko Oleh-oleh Ambarawa')
    expect(home).toContain('Pemilik')
    // A slug already taken is refused on its field, and nothing is made.
    const again = await rina.post(`${network.home('platform')}/parties`, {
      name: 'Lagi',
      slug: 'toko-ambarawa',
      kind: 'venue',
    })
    expect(again.status).toBe(422)
    expect(again.html).toMatch(/id="slug"[^>]*aria-invalid="true"/)
  })
})

describe('the cooperative', () => {
  it('sees which partnerships acknowledged last period’s statements on time', async () => {
    const keys = network.keys()
    const call = (key: string | undefined, path: string, body?: unknown) =>
      fetch(`${network.url()}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          Authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then((answer) => answer.json() as Promise<Record<string, unknown>>)
    const cooperative = () =>
      call(keys.cluster?.secret_key, '/v1/admin/statement_punctuality') as Promise<{
        data: { venue_id: string; producer_id: string; on_time: boolean; agreement_id: string }[]
      }>
    const before = await cooperative()
    const atKafe = before.data.filter((row) => row.venue_id === keys.kafe?.party_id)
    expect(atKafe).toHaveLength(3)
    expect(atKafe.every((row) => !row.on_time)).toBe(true)

    // The batik group and the café both acknowledge last month's statement now: on time.
    const batik = atKafe.find(
      (row) => row.producer_id === keys.batik?.party_id,
    ) as (typeof atKafe)[0]
    const month = new Date(Date.now() + 7 * 3_600_000)
    month.setUTCDate(0)
    const period = month.toISOString().slice(0, 7)
    for (const key of [keys.batik?.secret_key, keys.kafe?.secret_key]) {
      const statement = await call(
        key,
        `/v1/admin/agreements/${batik.agreement_id}/statement?period=${period}`,
      )
      await call(key, `/v1/admin/agreements/${batik.agreement_id}/statement/acknowledge`, {
        period,
        statement_hash: statement.statement_hash,
      })
    }
    const after = await cooperative()
    expect(after.data.find((row) => row.agreement_id === batik.agreement_id)?.on_time).toBe(true)
    const bambang = await network.signIn('cluster')
    const page = await bambang.get(network.home('cluster'))
    expect(page.html).toMatch(
      /<td>Kafe Banaran 9<\/td>(<td class="n">[^<]*<\/td>){4}<td class="n">1\/3<\/td>/,
    )
    // A venue sees only its own partnerships.
    const galeri = (await call(keys.galeri?.secret_key, '/v1/admin/statement_punctuality')) as {
      data: { venue_id: string }[]
    }
    expect(galeri.data.every((row) => row.venue_id === keys.galeri?.party_id)).toBe(true)
  })
})
