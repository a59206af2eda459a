import type { Schemas } from '@mitra/sdk/store'
import { describe, expect, it } from 'vitest'
import {
  type DeliveryNoteInfo,
  DeliveryNotePrint,
  type DeliveryNotePrintProps,
  type DeliveryVariant,
  deliveryNoteFromApi,
} from './deliveryNote.js'
import { noteLines, producer, venue } from './testing.js'

// 18:30 UTC on the 6th is 01:30 on the 7th in Jakarta: the date printed must be the 7th.
const sentAt = '2026-12-06T18:30:00.000Z'
const note: DeliveryNoteInfo = { number: 'SJ/GMW/2026/041', status: 'sent', sentAt }

const render = (props: Partial<DeliveryNotePrintProps> = {}) =>
  String(DeliveryNotePrint({ locale: 'id', note, producer, venue, lines: noteLines(), ...props }))

const rows = (html: string) =>
  [...(html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '').matchAll(/<tr>(.*?)<\/tr>/g)].map(
    ([, row]) => [...row!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(([, cell]) => cell),
  )
const footer = (html: string) =>
  [...(html.split('<tfoot>')[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(([, cell]) => cell)

const variants = new Map<string, DeliveryVariant>([
  [
    'var_kopi',
    {
      title: { id: 'Batik tulis motif kopi', en: 'Hand-drawn batik, coffee motif' },
      sku: 'BG-KOPI-200',
      options: { ukuran: '200 × 115 cm' },
    },
  ],
  ['var_truk', { title: { id: 'Mainan kayu truk', en: 'Wooden toy truck' }, sku: 'KY-TRUK' }],
])

const received: Schemas['Delivery'] = {
  id: 'dlv_01',
  producer_id: 'pty_producer',
  venue_id: 'pty_venue',
  note_number: 'SJ/GMW/2026/041',
  status: 'received',
  note: 'Kain dilipat, jangan ditumpuk.',
  received_note: 'Satu kain sobek di pinggir.',
  sent_at: sentAt,
  received_at: '2026-12-08T03:15:00.000Z',
  lines: [
    {
      variant_id: 'var_kopi',
      quantity_sent: 12,
      quantity_received: 11,
      discrepancy: -1,
      lot_id: 'lot_1',
    },
    {
      variant_id: 'var_truk',
      quantity_sent: 5,
      quantity_received: 6,
      discrepancy: 1,
      lot_id: 'lot_2',
    },
  ],
  has_discrepancies: true,
}

describe('DeliveryNotePrint', () => {
  it('before receipt: number, Jakarta date, both parties, lines sent, blanks to fill in, two signatures', () => {
    const html = render()
    expect(html).toContain('<article class="p-print p-note" lang="id">')
    expect(html).toContain('<h1>Surat jalan</h1>')
    expect(html).toContain('<dt>Nomor</dt><dd>SJ/GMW/2026/041</dd>')
    expect(html).toContain(
      `<dt>Tanggal kirim</dt><dd><time datetime="${sentAt}">7 Des 2026</time></dd>`,
    )
    expect(html).toContain(
      '<h2>Dari (pengirim)</h2><p class="p-note-party-name">KUB Batik Gemawangi</p><p>Jl. Gemawang 12, Gemawang, Jambu, Kabupaten Semarang</p><p>Telp. 0812 1111 2222</p>',
    )
    expect(html).toContain(
      '<h2>Kepada (penerima)</h2><p class="p-note-party-name">Kafe Banaran 9</p><p>Jl. Raya Semarang–Solo Km 9, Bawen, Kabupaten Semarang</p>',
    )
    expect(rows(html)).toEqual([
      [
        '1',
        '<span class="p-note-item">Batik tulis motif kopi</span><span class="p-note-sku">ukuran: 200 × 115 cm · BG-KOPI-200</span>',
        '12',
        '',
        '',
      ],
      [
        '2',
        '<span class="p-note-item">Mainan kayu truk</span><span class="p-note-sku">KY-TRUK</span>',
        '5',
        '',
        '',
      ],
    ])
    expect(footer(html)).toEqual(['17', '', ''])
    expect(html).toContain('Kolom “Diterima” dan “Kurang/rusak” diisi penerima')
    expect(html).toContain(
      '<section class="p-sign"><h2>Dikirim oleh</h2><div class="p-sign-space"></div><p class="p-sign-party">KUB Batik Gemawangi</p><p class="p-sign-hint">Nama, tanda tangan &amp; tanggal</p></section>',
    )
    expect(html).toContain(
      '<h2>Diterima oleh</h2><div class="p-sign-space"></div><p class="p-sign-party">Kafe Banaran 9</p>',
    )
    expect(html).not.toContain('p-note-cancelled')
  })

  it('after receipt, from the API’s Delivery: counted, short and over, summed line by line', () => {
    const html = render(deliveryNoteFromApi(received, variants))
    expect(rows(html).map((row) => row.slice(2))).toEqual([
      ['12', '11', '1'],
      ['5', '6', '+1 lebih'],
    ])
    // One short and one over is not "nothing short".
    expect(footer(html)).toEqual(['17', '17', '1 · +1 lebih'])
    expect(html).toContain(
      '<dt>Diterima</dt><dd><time datetime="2026-12-08T03:15:00.000Z">8 Des 2026, 10.15</time></dd>',
    )
    expect(html).toContain('<strong>Catatan:</strong> Kain dilipat, jangan ditumpuk.')
    expect(html).toContain('<strong>Catatan penerimaan:</strong> Satu kain sobek di pinggir.')
    expect(html).not.toContain('diisi penerima')
  })

  it('in English', () => {
    const html = render({ locale: 'en', ...deliveryNoteFromApi(received, variants) })
    expect(html).toContain('<article class="p-print p-note" lang="en">')
    expect(html).toContain('<h1>Delivery note</h1>')
    expect(html).toContain('>7 Dec 2026</time>')
    expect(html).toContain('<h2>From (sender)</h2>')
    expect(html).toContain('<th scope="col" class="p-num">Short/<wbr/>damaged</th>')
    expect(html).toContain('<span class="p-note-item">Hand-drawn batik, coffee motif</span>')
    expect(footer(html)).toEqual(['17', '17', '1 · +1 extra'])
    expect(html).toContain('<h2>Received by</h2>')
    expect(html).toContain('Name, signature &amp; date')
    expect(html).not.toContain('Dikirim')
  })

  it('prints a line whose variant is unknown by its id, rather than leaving it off', () => {
    const { lines } = deliveryNoteFromApi(received, new Map())
    expect(lines[0]).toEqual({ title: { id: 'var_kopi' }, sku: '', sent: 12, counted: 11 })
    expect(rows(render({ lines }))[0]?.[1]).toBe('<span class="p-note-item">var_kopi</span>')
  })

  it('says so when cancelled', () => {
    expect(render({ note: { ...note, status: 'cancelled' } })).toContain(
      '<p class="p-note-cancelled">Surat jalan ini dibatalkan</p>',
    )
  })

  it('escapes names and notes', () => {
    const html = render({
      producer: { name: '<script>alert(1)</script>' },
      note: { ...note, note: '<img src=x onerror=alert(1)>' },
    })
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })
})
