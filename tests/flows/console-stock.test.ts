import { afterEach, describe, expect, it, vi } from 'vitest'
import { type ConsoleClient, useConsoleNetwork } from './console-support.js'

// A venue's stock work in the console, as a browser without JavaScript does it: the shelf by
// maker, a stock count (stok opname) whose differences the maker sees, a return to the maker
// that the maker confirms, refusals on the failing field in Indonesian with nothing saved,
// another venue kept out, and a statement line disputed.

const network = useConsoleNetwork()

const kopi = 'Batik tulis motif kopi, indigo'

/** The admin API as a party, with its secret key: what the console's pages must agree with. */
async function api<T>(party: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${network.url()}${path}`, {
    headers: { Authorization: `Bearer ${network.keys()[party]?.secret_key}` },
  })
  return { status: response.status, body: (await response.json()) as T }
}

interface VenueStock {
  producers: { producer_id: string; on_hand: number }[]
}
interface Movement {
  venue_id: string
  variant_id: string
  kind: string
  on_hand_delta: number
  reason: string | null
}
interface StockReturn {
  id: string
  status: string
  lines: { variant_id: string; quantity_requested: number; quantity_confirmed: number | null }[]
}

/** Units of the batik group's goods on Kafe Banaran 9's shelf, as the café's API says. */
async function batikAtKafe() {
  const { body } = await api<VenueStock>('kafe', '/v1/admin/stock/venue')
  return body.producers.find((p) => p.producer_id === network.keys().batik?.party_id)?.on_hand
}

async function kafeReturns() {
  return (await api<{ data: StockReturn[] }>('kafe', '/v1/admin/returns')).body.data
}

async function countAdjustmentsSeenByBatik() {
  const { body } = await api<{ data: Movement[] }>(
    'batik',
    '/v1/admin/stock/movements?kind=count_adjustment',
  )
  return body.data
}

/** The page as people read it: text only, no tags or attributes. */
const text = (html: string) => html.replace(/<[^>]*>/g, ' ')

/** The variant id behind a product's input on a form (`counted-…`, `qty-…`). */
function fieldOf(html: string, prefix: string, product: string) {
  const found = new RegExp(`<label for="${prefix}(var_[0-9a-z]+)">${product} `).exec(html)
  expect(found, `${prefix} field of ${product}`).not.toBeNull()
  return found?.[1] as string
}

const markedInvalid = (html: string, id: string) =>
  new RegExp(`id="${id}"[^>]*aria-invalid="true"[^>]*aria-describedby="${id}-error"`).test(html)

let dewi: ConsoleClient
let variant: string
let returnId: string

describe('a venue’s stock in the console', () => {
  it('shows the shelf by maker and product, in words', async () => {
    dewi = await network.signIn('kafe')
    const shelf = await dewi.get(`${network.home('kafe')}/stock`)
    expect(shelf.status).toBe(200)
    expect(shelf.html).toContain('<html lang="id">')
    expect(shelf.html).toContain('<h2 id="maker-0">')
    for (const words of [
      'Batik Gemawangi',
      kopi,
      'Hitung stok (stok opname)',
      'Kembalikan barang ke pembuat',
    ]) {
      expect(text(shelf.html)).toContain(words)
    }
    // Delivered today: nothing is past what the agreement allows.
    expect(text(shelf.html)).toContain('Masih dalam masa titip')
    expect(text(shelf.html)).not.toMatch(/\b(pty|var|lot|ret)_[0-9a-z]+/)
  })

  it('records a stock count and says the difference in words, as the maker sees it', async () => {
    const before = await batikAtKafe()
    const form = await dewi.get(`${network.home('kafe')}/stock/count`)
    expect(form.status).toBe(200)
    variant = fieldOf(form.html, 'counted-', kopi)
    expect(form.html).toContain(`${kopi} <span class="hint">Tercatat: 10</span>`)
    const cengkeh = fieldOf(form.html, 'counted-', 'Batik cap daun cengkeh')

    const counted = await dewi.post(`${network.home('kafe')}/stock/count`, {
      [`counted-${variant}`]: '9',
      [`counted-${cengkeh}`]: '10',
      reason: 'Stok opname akhir bulan',
    })
    expect(counted.status).toBe(303)
    expect(counted.location).toMatch(
      new RegExp(`^${network.home('kafe')}/stock/count/cnt_[0-9a-z]+\\?done=counted$`),
    )
    const result = await dewi.get(counted.location as string)
    expect(result.status).toBe(200)
    expect(result.html).toContain('Hasil stok opname tersimpan.')
    expect(result.html).toContain(`<li>${kopi}: 1 kurang</li>`)
    expect(result.html).not.toContain('Batik cap daun cengkeh:')
    expect(text(result.html)).toContain('Stok opname akhir bulan')

    // The café's books and the maker's view say the same.
    expect(await batikAtKafe()).toBe((before as number) - 1)
    const adjustments = await countAdjustmentsSeenByBatik()
    expect(adjustments).toHaveLength(1)
    expect(adjustments[0]).toMatchObject({
      venue_id: network.keys().kafe?.party_id,
      variant_id: variant,
      on_hand_delta: -1,
      reason: 'Stok opname akhir bulan',
    })
    const mine = await api<{ rows: { venue_id: string; variant_id: string; on_hand: number }[] }>(
      'batik',
      `/v1/admin/stock/producer?venue_id=${network.keys().kafe?.party_id}`,
    )
    expect(mine.body.rows.find((row) => row.variant_id === variant)?.on_hand).toBe(9)

    // The same result in English, once chosen.
    const english = await network.signIn('kafe')
    await english.get(`/console/lang/en?next=${network.home('kafe')}`)
    const translated = await english.get(counted.location as string)
    expect(translated.html).toContain('<li>Hand-drawn batik, coffee motif, indigo: 1 short</li>')
  })

  it('refuses a negative or too large quantity on its field, in Indonesian, saving nothing', async () => {
    const before = await batikAtKafe()
    await dewi.get(`${network.home('kafe')}/stock/count`)
    const count = await dewi.post(`${network.home('kafe')}/stock/count`, {
      [`counted-${variant}`]: '-1',
      reason: 'Stok opname',
    })
    expect(count.status).toBe(422)
    expect(markedInvalid(count.html, `counted-${variant}`)).toBe(true)
    expect(count.html).toContain(
      `<p class="field-error" id="counted-${variant}-error">terlalu kecil</p>`,
    )
    expect(count.html).toContain('value="-1"')

    const batik = network.keys().batik?.party_id as string
    const form = await dewi.get(`${network.home('kafe')}/stock/returns?producer=${batik}`)
    expect(form.status).toBe(200)
    expect(fieldOf(form.html, 'qty-', kopi)).toBe(variant)
    const negative = await dewi.post(`${network.home('kafe')}/stock/returns`, {
      producer_id: batik,
      [`qty-${variant}`]: '-2',
    })
    expect(negative.status).toBe(422)
    expect(markedInvalid(negative.html, `qty-${variant}`)).toBe(true)
    expect(negative.html).toContain(
      `<p class="field-error" id="qty-${variant}-error">terlalu kecil</p>`,
    )
    const tooMany = await dewi.post(`${network.home('kafe')}/stock/returns`, {
      producer_id: batik,
      [`qty-${variant}`]: '10',
      reason: 'Terlalu banyak',
    })
    expect(tooMany.status).toBe(422)
    expect(markedInvalid(tooMany.html, `qty-${variant}`)).toBe(true)
    expect(tooMany.html).toContain(
      `<p class="field-error" id="qty-${variant}-error">melebihi stok yang bisa dikembalikan (9)</p>`,
    )
    expect(tooMany.html).toContain('Periksa isian yang ditandai.')
    expect(tooMany.html).toContain('>Terlalu banyak</textarea>')

    // Nothing was counted, asked back or moved.
    expect(await kafeReturns()).toEqual([])
    expect(await countAdjustmentsSeenByBatik()).toHaveLength(1)
    expect(await batikAtKafe()).toBe(before)
  })

  it('returns 2 units to the batik group, which confirms them: the shelf goes down by 2', async () => {
    const before = await batikAtKafe()
    const batik = network.keys().batik?.party_id as string
    await dewi.get(`${network.home('kafe')}/stock/returns?producer=${batik}`)
    const asked = await dewi.post(`${network.home('kafe')}/stock/returns`, {
      producer_id: batik,
      [`qty-${variant}`]: '2',
      reason: 'Motif kopi kurang laku di kafe',
    })
    expect(asked.status).toBe(303)
    expect(asked.location).toBe(`${network.home('kafe')}/stock/returns?done=returnRequested`)
    const list = await dewi.get(asked.location as string)
    expect(list.html).toContain('Permintaan pengembalian terkirim.')
    expect(list.html).toContain('Menunggu konfirmasi pembuat')
    expect(list.html).toContain(`<li>${kopi}: 2</li>`)
    const [made] = await kafeReturns()
    expect(made).toMatchObject({
      status: 'requested',
      lines: [{ variant_id: variant, quantity_requested: 2 }],
    })
    returnId = made?.id as string
    // Nothing leaves the shelf until the maker confirms; what is asked back cannot be twice.
    expect(await batikAtKafe()).toBe(before)
    const twice = await dewi.post(`${network.home('kafe')}/stock/returns`, {
      producer_id: batik,
      [`qty-${variant}`]: '8',
    })
    expect(twice.status).toBe(422)
    expect(twice.html).toContain('melebihi stok yang bisa dikembalikan (7)')

    // The maker opens what came back and confirms it.
    const sri = await network.signIn('batik')
    const theirs = await sri.get(`${network.home('batik')}/returns`)
    expect(theirs.status).toBe(200)
    expect(text(theirs.html)).toContain('Dari Kafe Banaran 9')
    expect(theirs.html).toContain('Perlu Anda konfirmasi')
    expect(theirs.html).toContain(`action="${network.home('batik')}/returns/${returnId}/confirm"`)
    expect(text(theirs.html)).not.toMatch(/\b(pty|var|ret)_[0-9a-z]+/)
    const confirmed = await sri.post(`${network.home('batik')}/returns/${returnId}/confirm`, {
      [`qty-${variant}`]: '2',
    })
    expect(confirmed.status).toBe(303)
    expect(confirmed.location).toBe(`${network.home('batik')}/returns?done=returnConfirmed`)
    const after = await sri.get(confirmed.location as string)
    expect(after.html).toContain('Pengembalian dikonfirmasi.')
    expect(after.html).toContain(`<li>${kopi}: 2 diminta, 2 diterima</li>`)

    expect(await batikAtKafe()).toBe((before as number) - 2)
    expect((await kafeReturns())[0]).toMatchObject({
      status: 'confirmed',
      lines: [{ variant_id: variant, quantity_confirmed: 2 }],
    })
    expect((await dewi.get(`${network.home('kafe')}/stock/returns`)).html).toContain(
      'Diterima pembuat',
    )
    const count = await dewi.get(`${network.home('kafe')}/stock/count`)
    expect(count.html).toContain(`${kopi} <span class="hint">Tercatat: 7</span>`)

    // Once closed, it cannot be confirmed again.
    const again = await sri.post(`${network.home('batik')}/returns/${returnId}/confirm`, {})
    expect(again.status).toBe(409)
    expect(again.html).toContain('Pengembalian ini sudah ditutup.')
    expect(await batikAtKafe()).toBe((before as number) - 2)
  })

  it('keeps another venue out of the café’s stock and returns', async () => {
    const ayu = await network.signIn('galeri')
    for (const path of ['/stock', '/stock/returns', '/stock/count']) {
      const seen = await ayu.get(`${network.home('kafe')}${path}`)
      expect(seen.status).toBe(404)
      expect(seen.html).not.toContain('Motif kopi kurang laku')
    }
    const own = await ayu.get(`${network.home('galeri')}/stock/returns`)
    expect(own.status).toBe(200)
    expect(own.html).toContain('Belum ada pengembalian.')
    expect(own.html).not.toContain('Motif kopi kurang laku')
    // A venue has no maker's confirmation, and the café's return is not its business.
    const confirm = await ayu.post(`${network.home('galeri')}/returns/${returnId}/confirm`, {})
    expect(confirm.status).toBe(404)
    expect((await api('galeri', `/v1/admin/returns/${returnId}`)).status).toBe(404)
    // Nor has a maker a venue's stock screens.
    const sri = await network.signIn('batik')
    expect((await sri.get(`${network.home('batik')}/stock`)).status).toBe(404)
  })

  it('disputes one statement line with a comment, back on the statement', async () => {
    // A sale to dispute: one coffee-motif batik at the counter.
    await dewi.get(`${network.home('kafe')}/counter`)
    const sold = await dewi.post(`${network.home('kafe')}/counter`, {
      [`qty-${variant}`]: '1',
      channel: 'cash',
      receipt_number: 'N-SENGKETA-1',
    })
    expect(sold.status).toBe(303)
    const saleId = /\/sales\/(sale_[0-9a-z]+)/.exec(sold.location as string)?.[1] as string
    const agreements = await api<{ data: { id: string; producer_id: string }[] }>(
      'kafe',
      '/v1/admin/agreements?limit=100',
    )
    const agreement = agreements.body.data.find(
      (a) => a.producer_id === network.keys().batik?.party_id,
    )?.id as string
    const period = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Jakarta',
      year: 'numeric',
      month: '2-digit',
    })
      .format(new Date())
      .slice(0, 7)
    const statement = async () =>
      (
        await api<{
          statement: { entries: { sale_line_id: string | null }[] }
          review: { disputes: { line_ref: string; comment: string; side: string }[] }
        }>('kafe', `/v1/admin/agreements/${agreement}/statement?period=${period}&format=json`)
      ).body
    const line = (await statement()).statement.entries.find((e) =>
      e.sale_line_id?.startsWith(`${saleId}:`),
    )?.sale_line_id as string
    expect(line).toBe(`${saleId}:${variant}`)
    const path = `${network.home('kafe')}/statements/${agreement}/disputes`

    const blank = await dewi.post(path, { period, line_ref: line, comment: '  ' })
    expect(blank.status).toBe(422)
    expect(markedInvalid(blank.html, 'comment')).toBe(true)
    expect(blank.html).toContain('<p class="field-error" id="comment-error">wajib diisi</p>')
    expect(text(blank.html)).toContain(`Penjualan ${kopi}`)
    const unknown = await dewi.post(path, {
      period,
      line_ref: 'txn_tidakada',
      comment: 'Tidak ada penjualan ini',
    })
    expect(unknown.status).toBe(422)
    expect(unknown.html).toContain('baris ini tidak ada di laporan periode ini')
    expect((await statement()).review.disputes).toEqual([])

    const disputed = await dewi.post(path, {
      period,
      line_ref: line,
      comment: 'Harga di nota berbeda dengan label',
    })
    expect(disputed.status).toBe(303)
    expect(disputed.location).toBe(
      `${network.home('kafe')}/statements/${agreement}?period=${period}&done=saved`,
    )
    expect((await dewi.get(disputed.location as string)).html).toContain('Tersimpan.')
    expect((await statement()).review.disputes).toMatchObject([
      { line_ref: line, comment: 'Harga di nota berbeda dengan label', side: 'venue' },
    ])
    // The platform sees it among the network's open disputes, by name; the cooperative counts
    // it against the café; another venue does not see it.
    const rina = await network.signIn('platform')
    const open = await rina.get(`${network.home('platform')}/disputes`)
    expect(open.html).toContain('Harga di nota berbeda dengan label')
    expect(open.html).toContain('Kafe Banaran 9')
    const openText = (/<main[^>]*>([\s\S]*)<\/main>/.exec(open.html)?.[1] ?? '').replace(
      /<[^>]+>/g,
      ' ',
    )
    expect(openText).not.toMatch(/pty_|agr_/)
    const bambang = await network.signIn('cluster')
    const month = await bambang.get(network.home('cluster'))
    expect(month.html).toMatch(
      /<td>Kafe Banaran 9<\/td>(<td class="n">[^<]*<\/td>){3}<td class="n">1<\/td>/,
    )
    const elsewhere = await fetch(`${network.url()}/v1/admin/statement_disputes`, {
      headers: { Authorization: `Bearer ${network.keys().galeri?.secret_key}` },
    })
    expect(((await elsewhere.json()) as { data: unknown[] }).data).toEqual([])
  })

  describe('months later', () => {
    afterEach(() => {
      vi.useRealTimers()
    })

    /** The café's shelf as it reads `days` from now (only the clock moves). */
    async function shelfIn(days: number) {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(Date.now() + days * 86_400_000)
      const dewi = await network.signIn('kafe')
      const shelf = await dewi.get(`${network.home('kafe')}/stock`)
      expect(shelf.status).toBe(200)
      return text(shelf.html).replace(/\s+/g, ' ')
    }

    it('marks lots past the consignment period, and past what the agreement allows', async () => {
      // 90 days on consignment, then 14 of grace (the demo's terms).
      const grace = await shelfIn(100)
      expect(grace).toMatch(
        new RegExp(
          `${kopi} 6 6 unit sudah 100 hari di rak: masa titip habis, masa tenggang sampai \\d+ \\w+ \\d{4}`,
        ),
      )
      expect(grace).not.toContain('lewat batas perjanjian')
      vi.useRealTimers()
      const expired = await shelfIn(110)
      expect(expired).toMatch(
        new RegExp(
          `${kopi} 6 6 unit sudah 110 hari di rak: lewat batas perjanjian sejak \\d+ \\w+ \\d{4}`,
        ),
      )
      expect(expired).toMatch(/\d+ unit sudah lewat batas perjanjian\. Kembalikan ke pembuatnya/)
    })
  })
})
