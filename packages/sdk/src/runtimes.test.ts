import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromiumMissing, launchChromium } from '@mitra/browser-testing'
import { listen, type RunningServer } from '@mitra/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle } from '../scripts/bundle.js'
import { useSdkAgainstServer } from './test-support.js'

// The bundled SDK in each runtime it promises, against the real server over HTTP.
const run = promisify(execFile)
const server = useSdkAgainstServer()
const bin = (name: string) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname

let api: RunningServer
let page: Server
let pageOrigin: string
let folder: string
let publishable: string

// Reads its arguments wherever it runs, lists the store and makes a cart; prints JSON.
const probe = `
import { Mitra, isMitraApiError } from './mitra-sdk.js'
const [baseUrl, key] = globalThis.Deno ? Deno.args : process.argv.slice(2)
const mitra = new Mitra({ baseUrl, publishableKey: key })
const products = []
for await (const product of mitra.store.products.list({ limit: 1 })) products.push(product.title.id)
const cart = await mitra.store.carts.create()
const refused = await new Mitra({ baseUrl, publishableKey: 'pk_wrong' }).store.products
  .list()
  .catch((error) => (isMitraApiError(error, 'unauthorized') ? error.status : String(error)))
console.log(JSON.stringify({ products, cart: cart.id.slice(0, 5), refused }))
`

// The same in a gallery's page: the store entry alone, as a widget would load it.
const browserProbe = `
import { createStoreClient } from '/store.js'
const params = new URLSearchParams(location.search)
const store = createStoreClient({ baseUrl: params.get('api'), key: params.get('key') })
const page = await store.products.list()
let refused = ''
try { createStoreClient({ baseUrl: params.get('api'), key: 'sk_live_secret' }) }
catch (error) { refused = error.message }
window.probe = { titles: page.data.map((product) => product.title.id), refused }
`

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mitra-sdk-'))
  const [whole, store] = await Promise.all([bundle('index'), bundle('store')])
  await writeFile(join(folder, 'mitra-sdk.js'), whole.code)
  await writeFile(join(folder, 'probe.mjs'), probe)

  page = createServer((request, response) => {
    if (request.url === '/store.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(store.code)
    } else if (request.url === '/probe.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(browserProbe)
    } else
      response
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><title>gallery</title><script type="module" src="/probe.js"></script>')
  })
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve))
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`

  const producer = await server.party('producer', { allowedOrigins: [pageOrigin] })
  publishable = producer.publishable
  const mitra = server.clientFor(producer)
  for (const [sku, title] of [
    ['BTG-1', 'Batik tulis Gemawang'],
    ['BCK-2', 'Batik cap Kenanga'],
  ]) {
    const product = await mitra.admin.products.create({
      title: { id: title! },
      category: 'batik',
      variants: [
        {
          sku: sku!,
          options: {},
          weight_grams: 300,
          price: { amount: 350_000, currency: 'IDR' },
        },
      ],
    })
    await mitra.admin.products.setStatus(product.id, { status: 'active' })
  }
  api = await listen(server.app(), 0)
})

afterAll(async () => {
  await api?.close()
  page?.close()
  await rm(folder, { recursive: true, force: true })
})

const expected = {
  products: ['Batik cap Kenanga', 'Batik tulis Gemawang'],
  cart: 'cart_',
  refused: 401,
}

describe('the bundled SDK runs unchanged in', () => {
  it('Node', async () => {
    const { stdout } = await run(process.execPath, ['probe.mjs', api.url, publishable], {
      cwd: folder,
    })
    expect(JSON.parse(stdout)).toEqual(expected)
  })

  it('Deno', async () => {
    const { stdout } = await run(
      bin('deno'),
      ['run', '--allow-net', 'probe.mjs', api.url, publishable],
      {
        cwd: folder,
        env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      },
    )
    expect(JSON.parse(stdout)).toEqual(expected)
  })

  it('Bun', async () => {
    const { stdout } = await run(bin('bun'), ['probe.mjs', api.url, publishable], { cwd: folder })
    expect(JSON.parse(stdout)).toEqual(expected)
  })

  it.skipIf(chromiumMissing)(
    'Chromium: the store entry from a gallery’s page, and a secret key refused',
    async () => {
      const browser = await launchChromium()
      try {
        const tab = await browser.newPage()
        await tab.goto(`${pageOrigin}/?${new URLSearchParams({ api: api.url, key: publishable })}`)
        const result = (await (
          await tab.waitForFunction(() => (window as { probe?: unknown }).probe)
        ).jsonValue()) as { titles: string[]; refused: string }
        expect(result.titles).toEqual(expected.products)
        expect(result.refused).toMatch(/must stay on a server/)
      } finally {
        await browser.close()
      }
    },
  )
})
