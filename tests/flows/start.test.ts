import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMitra } from '@mitra/storefront/testing'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

describe('the start command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mitra-start-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('serves the demo network on embedded data and starts again on the same data', async () => {
    const first = await startMitra({ dataDir })
    const keysFile = join(dataDir, 'keys.json')
    // It says what it makes while it makes it, then where everything is.
    const printed = first.output()
    for (const made of ['database', 'cluster', 'producer', 'venue', 'keys']) {
      expect(printed).toMatch(new RegExp(`^ {2}${made} +\\S`, 'm'))
    }
    expect(printed).toContain(`  shop:      ${first.url}/ `)
    expect(printed).toMatch(/^ {2}gallery: {3}http:\/\/127\.0\.0\.1:\d+ /m)
    expect(printed).toContain(`  API docs:  ${first.url}/docs `)
    // The console, and who signs in to it: one demo person per party.
    expect(printed).toContain(`  console:   ${first.url}/console (demo password: gemawang-demo)`)
    expect(printed).toMatch(/^ {13}\+6281210000001 {2}Sri Wahyuni \(batik\)$/m)
    expect(printed).toContain(`${first.url}/openapi.json`)
    expect(printed).toContain(`  keys:      ${keysFile}\n`)
    const shop = await fetch(`${first.url}/`)
    expect(shop.status).toBe(200)
    // The shop, with the demo's brands on its home page.
    const home = await shop.text()
    expect(home).toMatch(/<html lang="id"/)
    expect(home).toContain('Batik Gemawangi')
    // PORT=0: the public URL (canonical links, payment pages, return URLs) names the real port.
    expect(home).toContain(`<link rel="canonical" href="${first.url}/"`)
    expect((await fetch(`${first.url}/openapi.json`)).status).toBe(200)

    const health = await fetch(`${first.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite' } })

    // A fresh database gets the platform and the demo parties, their keys written once.
    const keys = JSON.parse(readFileSync(keysFile, 'utf8'))
    const listed = await fetch(`${first.url}/v1/store/products?locale=en`, {
      headers: { Authorization: `Bearer ${keys.kafe.publishable_key}` },
    })
    const products = (await listed.json()) as {
      data: { attribution: { maker: string; sold_at: string }; images: { src: string }[] }[]
    }
    expect(products.data.length).toBeGreaterThan(0)
    expect(products.data[0]?.attribution.sold_at).toBe('sold at Kafe Banaran 9')
    const picture = await fetch(`${first.url}${products.data[0]?.images[0]?.src}`)
    expect(picture.headers.get('Content-Type')).toBe('image/jpeg')
    // Kafe Banaran 9 holds every group's goods on consignment from the start.
    const stock = await fetch(
      `${first.url}/v1/store/venues/${keys.kafe.party_id}/available?limit=100`,
      {
        headers: { Authorization: `Bearer ${keys.kafe.publishable_key}` },
      },
    )
    const available = (await stock.json()) as { data: { available: number }[] }
    expect(available.data).toHaveLength(9) // every variant of the seven demo products
    expect(available.data.every((v) => v.available === 10)).toBe(true)
    // A buyer checks out on the widget's key and pays on the demo provider's page.
    const kafe = { Authorization: `Bearer ${keys.kafe.publishable_key}` }
    const json = { ...kafe, 'Content-Type': 'application/json' }
    const cart = (await (
      await fetch(`${first.url}/v1/store/carts`, { method: 'POST', headers: kafe })
    ).json()) as { id: string }
    const variant = (available.data[0] as unknown as { variant_id: string }).variant_id
    await fetch(`${first.url}/v1/store/carts/${cart.id}/lines`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ variant_id: variant, venue_id: keys.kafe.party_id, quantity: 1 }),
    })
    const placed = await fetch(`${first.url}/v1/store/carts/${cart.id}/checkout`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ fulfilment: 'pickup', customer: { name: 'Sari' }, provider: 'demo' }),
    })
    const order = (await placed.json()) as {
      id: string
      redirect_url: string
      status: string
      access_token: string
    }
    expect(order.status).toBe('pending_payment')
    const payPage = `${first.url}${new URL(order.redirect_url).pathname}`
    expect(await (await fetch(payPage)).text()).toContain('DEMO — no real money')
    const paid = await fetch(`${payPage}/pay`, { method: 'POST', redirect: 'manual' })
    expect(paid.status).toBe(303)
    const after = await fetch(`${first.url}/v1/store/orders/${order.id}`, {
      headers: { ...kafe, 'Mitra-Order-Token': order.access_token },
    })
    expect(((await after.json()) as { status: string }).status).toBe('paid')

    // The sale is split between every party — producer, venue, cooperative, platform and the
    // payment provider — as the agreement's terms say, and the shares add up to the sale.
    const secret = (party: string) => ({ Authorization: `Bearer ${keys[party].secret_key}` })
    const admin = async <T>(path: string, party: string) =>
      (await (await fetch(`${first.url}${path}`, { headers: secret(party) })).json()) as T
    const sold = await admin<{
      lines: { sale_line_id: string; producer_id: string; line_total: { amount: number } }[]
      payment_fee: { amount: number }
    }>(`/v1/admin/orders/${order.id}`, 'kafe')
    const line = sold.lines[0] as (typeof sold.lines)[number]
    const gross = line.line_total.amount
    const sales = await admin<{ data: { lines: { agreement_id: string }[] }[] }>(
      '/v1/admin/sales',
      'kafe',
    )
    const agreementId = sales.data[0]?.lines[0]?.agreement_id as string
    const agreement = await admin<{
      active_version: number
      versions: {
        version: number
        terms: {
          commission: { bps: number }
          cooperative_fee_bps: number
          platform_fee_bps: number
        }
      }[]
    }>(`/v1/admin/agreements/${agreementId}`, 'kafe')
    const terms = agreement.versions.find((v) => v.version === agreement.active_version)?.terms
    if (terms === undefined) throw new Error('the agreement has no active version')
    const producer = Object.keys(keys).find((name) => keys[name].party_id === line.producer_id)
    const shares: Record<string, { amount: number; rate: { bps?: number } }> = {}
    for (const party of [producer as string, 'kafe', 'cluster', 'platform']) {
      const explained = await admin<{
        lines: { kind: string; role: string; amount: { amount: number }; rate: { bps?: number } }[]
      }>(`/v1/admin/sale_lines/${encodeURIComponent(line.sale_line_id)}/explain`, party)
      for (const share of explained.lines.filter((l) => l.kind === 'share')) {
        shares[share.role] = { amount: share.amount.amount, rate: share.rate }
      }
    }
    expect(Object.keys(shares).sort()).toEqual([
      'cooperative',
      'payment_fee',
      'platform',
      'producer',
      'venue',
    ])
    expect(Object.values(shares).every((share) => share.amount > 0)).toBe(true)
    const ofGross = (bps: number) => Math.round((gross * bps) / 10_000)
    expect(shares.cooperative?.amount).toBe(ofGross(terms.cooperative_fee_bps))
    expect(shares.platform?.amount).toBe(ofGross(terms.platform_fee_bps))
    expect(shares.venue?.rate.bps).toBe(terms.commission.bps)
    expect(shares.payment_fee?.amount).toBe(sold.payment_fee.amount)
    expect(Object.values(shares).reduce((sum, share) => sum + share.amount, 0)).toBe(gross)

    const party = await fetch(`${first.url}/v1/admin/party`, {
      headers: { Authorization: `Bearer ${keys.platform.secret_key}` },
    })
    expect(((await party.json()) as { kind: string }).kind).toBe('platform')
    // SIGTERM stops it quietly: server and database closed, exit code 0.
    expect(await first.stop('SIGTERM')).toBe(0)
    expect(first.output()).toContain('mitra stopped')
    expect(first.output()).not.toContain('ERR_')

    // The second start, with `npm start` as the README says, finds the data and seeds
    // nothing again; Ctrl-C stops it with exit code 0, npm's too.
    const second = await startMitra({ dataDir, command: 'npm' })
    const again = await fetch(`${second.url}/v1/store/products?limit=100`, {
      headers: { Authorization: `Bearer ${keys.kafe.publishable_key}` },
    })
    expect(((await again.json()) as { data: unknown[] }).data).toHaveLength(7)
    expect(second.output()).not.toMatch(/^ {2}(cluster|producer|venue) /m)
    expect(second.output()).toContain(`  keys:      ${keysFile}\n`)
    expect(await second.stop('SIGINT')).toBe(0)
    expect(second.output()).toContain('mitra stopped')
    expect(second.output()).not.toContain('ERR_')
  }, 180_000)

  it('refuses to start with a payment provider on and its key missing, naming the variable', async () => {
    const child = spawn(process.execPath, ['scripts/mitra.mjs', 'start'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        MITRA_DATA_DIR: join(dataDir, 'refused'),
        DATABASE_URL: '',
        MITRA_PAYMENT_PROVIDERS: 'demo,stripe',
        STRIPE_SECRET_KEY: '',
        STRIPE_WEBHOOK_SECRET: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).not.toBe(0)
    expect(output).toContain('STRIPE_SECRET_KEY')
    expect(output).not.toContain('running at')
  }, 120_000)
})
