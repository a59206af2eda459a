import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

/** Runs the README's start command and waits for the address it prints. */
function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['scripts/mitra.mjs', 'start'], {
    cwd: root,
    env: { ...process.env, PORT: '0', MITRA_DATA_DIR: join(dataDir, 'data'), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so the whole tree stops with it
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${output}`)), 60_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /running at (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1] as string })
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    process.kill(-(child.pid as number), 'SIGTERM')
  })
}

describe('the start command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mitra-start-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('serves the demo network on embedded data and starts again on the same data', async () => {
    const first = await start(dataDir)
    const health = await fetch(`${first.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite' } })

    // A fresh database gets the platform and the demo parties, their keys written once.
    const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'))
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
    const order = (await placed.json()) as { id: string; redirect_url: string; status: string }
    expect(order.status).toBe('pending_payment')
    const payPage = `${first.url}${new URL(order.redirect_url).pathname}`
    expect(await (await fetch(payPage)).text()).toContain('DEMO — no real money')
    const paid = await fetch(`${payPage}/pay`, { method: 'POST', redirect: 'manual' })
    expect(paid.status).toBe(303)
    const after = await fetch(`${first.url}/v1/store/orders/${order.id}`, { headers: kafe })
    expect(((await after.json()) as { status: string }).status).toBe('paid')

    const party = await fetch(`${first.url}/v1/admin/party`, {
      headers: { Authorization: `Bearer ${keys.platform.secret_key}` },
    })
    expect(((await party.json()) as { kind: string }).kind).toBe('platform')
    await stop(first.child)

    // The second start finds the data and seeds nothing again.
    const second = await start(dataDir)
    const again = await fetch(`${second.url}/v1/store/products?limit=100`, {
      headers: { Authorization: `Bearer ${keys.kafe.publishable_key}` },
    })
    expect(((await again.json()) as { data: unknown[] }).data).toHaveLength(7)
    await stop(second.child)
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
