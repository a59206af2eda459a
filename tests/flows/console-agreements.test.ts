import {
  type ConsignmentTermsInput,
  getAgreement,
  listAgreements,
  proposeAgreement,
} from '@mitra/consignment'
import { describe, expect, it } from 'vitest'
import { type ConsoleClient, useConsoleNetwork } from './console-support.js'

// Agreements in the partner console, as a browser without JavaScript meets them: read in
// plain words in either language, a change proposed by the café and accepted by the maker,
// a bad number refused on its field, a new agreement proposed, one ended, and nobody else's
// agreement shown to anyone.

const network = useConsoleNetwork()

/** What a person reads: the page without its tags and attributes (links, hidden fields). */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&quot;|&amp;|&lt;|&gt;|&#x27;/g, ' ')
    .replace(/\s+/g, ' ')
}

const noIds = (html: string) => expect(textOf(html)).not.toMatch(/\b(pty|agr|usr|key)_/)

const partyId = (key: string) => network.keys()[key]?.party_id as string

/** The consignment agreement between a venue and a maker of the demo network. */
async function agreementOf(venue: string, producer: string) {
  const { db } = network.api.database()
  const page = await listAgreements(
    db,
    { partyId: partyId(venue), role: 'owner' },
    { counterparty_id: partyId(producer) },
  )
  const found = page.data.at(-1)
  if (found === undefined) throw new Error(`no agreement between ${venue} and ${producer}`)
  return found.id
}

const read = (id: string, venue: string) =>
  getAgreement(network.api.database().db, { partyId: partyId(venue), role: 'owner' }, id)

/** Follows a redirect the way a browser does. */
async function follow(client: ConsoleClient, answer: { status: number; location: string | null }) {
  expect(answer.status).toBe(303)
  return client.get(answer.location as string)
}

describe('agreements in the console', () => {
  it('lists and reads an agreement in plain words, in Indonesian and English, without ids', async () => {
    const dewi = await network.signIn('kafe')
    const home = network.home('kafe')
    const batik = await agreementOf('kafe', 'batik')

    const list = await dewi.get(`${home}/agreements`)
    expect(list.status).toBe(200)
    const listed = textOf(list.html)
    for (const name of ['Batik Gemawangi', 'APE Gemawang', 'Madu Gemawang']) {
      expect(listed).toContain(name)
    }
    expect(listed).toContain('Berlaku')
    expect(listed).toContain('Versi berlaku: 1')
    expect(list.html).toContain(`href="${home}/agreements/${batik}"`)
    expect(list.html).toContain('aria-current="page"')
    noIds(list.html)

    const path = `${home}/agreements/${batik}`
    const id = await dewi.get(path)
    expect(id.status).toBe(200)
    expect(id.html).toContain('<html lang="id">')
    const indonesian = textOf(id.html)
    expect(indonesian).toContain('Perjanjian dengan Batik Gemawangi')
    expect(indonesian).toContain('Ketentuan yang berlaku (versi 1)')
    expect(indonesian).toContain('Kafe Banaran 9 mendapat komisi 20% dari harga jual')
    expect(indonesian).toContain('Barang dititipkan paling lama 90 hari')
    expect(indonesian).toContain('Riwayat versi')
    expect(indonesian).toMatch(/Disetujui Batik Gemawangi pada \d+ \w+ \d{4}/)
    // Ending it says what becomes of the goods on the shelf.
    expect(indonesian).toContain('Barang yang masih di rak tetap milik Batik Gemawangi')
    expect(id.html).toMatch(/<label for="reason">/)
    noIds(id.html)

    const switched = await dewi.get(`/console/lang/en?next=${encodeURIComponent(path)}`)
    expect(switched.status).toBe(303)
    expect(switched.location).toBe(path)
    const en = await dewi.get(path)
    expect(en.html).toContain('<html lang="en">')
    const english = textOf(en.html)
    expect(english).toContain('Agreement with Batik Gemawangi')
    expect(english).toContain('Terms in force (version 1)')
    expect(english).toContain('Kafe Banaran 9 gets a 20% commission on the selling price')
    expect(english).toContain('In force')
    expect(english).toContain('Propose a change')
    expect(english).not.toContain('Perjanjian dengan')
    noIds(en.html)
    noIds((await dewi.get(`${home}/agreements`)).html)
  })

  it('lets the café propose a change and the maker read what changes and accept it', async () => {
    const id = await agreementOf('kafe', 'ape')
    const dewi = await network.signIn('kafe')
    const kafePath = `${network.home('kafe')}/agreements/${id}`
    await dewi.get(kafePath)
    const proposed = await dewi.post(`${kafePath}/amend`, {
      commission: '25',
      settlement_cycle: 'twice_monthly',
      consignment_days: '60',
      note: 'Rak baru di dekat pintu',
    })
    expect(proposed.location).toBe(`${kafePath}?done=proposed`)
    const after = textOf((await follow(dewi, proposed)).html)
    expect(after).toContain('Usulan terkirim dan sudah Anda setujui')
    expect(after).toContain('Anda sudah menyetujui versi 2')
    expect(after).toContain('berlaku setelah APE Gemawang juga menyetujuinya')
    // Version 1 stays in force until both sides accept version 2; the café has, as its person.
    let stored = await read(id, 'kafe')
    expect(stored.active_version).toBe(1)
    const two = stored.versions.find((v) => v.version === 2)
    expect(two?.state).toBe('proposed')
    expect(two?.venue_accepted_by).toMatch(/^usr_/)
    expect(two?.producer_accepted_at).toBeNull()

    const joko = await network.signIn('ape')
    const apeHome = network.home('ape')
    const list = textOf((await joko.get(`${apeHome}/agreements`)).html)
    expect(list).toContain('Versi 2 menunggu persetujuan Anda')
    const apePath = `${apeHome}/agreements/${id}`
    const page = await joko.get(apePath)
    expect(page.status).toBe(200)
    const seen = textOf(page.html)
    expect(seen).toContain('Apa yang berubah')
    expect(seen).toContain('Versi 1 dibanding versi 2: 3 ketentuan berubah')
    // Only the changed rows are marked, and in words.
    expect(page.html.match(/<tr class="changed"/g)).toHaveLength(3)
    expect(page.html.match(/<strong class="mark">Berubah<\/strong>/g)).toHaveLength(3)
    expect(seen).toContain('Kafe Banaran 9 mendapat komisi 25% dari harga jual')
    expect(seen).toContain('Catatan: Rak baru di dekat pintu')
    expect(seen).toMatch(/Diusulkan oleh Kafe Banaran 9 pada \d+ \w+ \d{4}/)
    // Every term of the proposal can be read in full, not only what changes.
    expect(seen).toContain('Baca semua ketentuan versi 2')
    expect(seen).toContain('Setujui versi 2')
    expect(seen).toContain('Tolak versi 2')
    noIds(page.html)

    const hash = /name="terms_hash" value="([0-9a-f]{64})"/.exec(page.html)?.[1] as string
    expect(hash).toBe(two?.terms_hash)
    const accepted = await joko.post(`${apePath}/accept`, { version: '2', terms_hash: hash })
    expect(accepted.location).toBe(`${apePath}?done=inForce`)
    const inForce = textOf((await follow(joko, accepted)).html)
    expect(inForce).toContain('Versi ini sekarang berlaku')
    expect(inForce).toContain('Versi berlaku: 2')
    expect(inForce).toContain('Ketentuan yang berlaku (versi 2)')
    expect(inForce).toContain('Pembayaran ke APE Gemawang dua kali sebulan')

    stored = await read(id, 'kafe')
    expect(stored.active_version).toBe(2)
    expect(stored.versions.map((v) => v.state)).toEqual(['superseded', 'accepted'])
    expect(stored.versions[1]?.producer_accepted_by).toMatch(/^usr_/)
    expect(stored.versions[1]?.terms.commission).toEqual({ kind: 'percent', bps: 2500 })
    // Everything the short form does not ask for is kept from the terms before.
    expect(stored.versions[1]?.terms.cooperative_fee_bps).toBe(200)
    expect(stored.versions[1]?.terms.markdown_schedule).toEqual(
      stored.versions[0]?.terms.markdown_schedule,
    )
  })

  it('refuses a commission of 150 % on its field, in Indonesian, and saves nothing', async () => {
    const id = await agreementOf('kafe', 'madu')
    const dewi = await network.signIn('kafe')
    const path = `${network.home('kafe')}/agreements/${id}`
    await dewi.get(path)
    const refused = await dewi.post(`${path}/amend`, {
      commission: '150',
      settlement_cycle: 'monthly',
      consignment_days: '90',
    })
    expect(refused.status).toBe(422)
    expect(refused.html).toMatch(/id="commission"[^>]*aria-invalid="true"/)
    expect(refused.html).toMatch(/id="commission"[^>]*aria-describedby="commission-error"/)
    expect(refused.html).toContain(
      '<p class="field-error" id="commission-error">paling besar 100%</p>',
    )
    expect(refused.html).toContain('Periksa isian yang ditandai.')
    // What was typed stays in the field, to be corrected.
    expect(refused.html).toMatch(/id="commission"[^>]*value="150"/)
    noIds(refused.html)

    const words = await dewi.post(`${path}/amend`, {
      commission: 'dua puluh',
      settlement_cycle: 'monthly',
      consignment_days: '90',
    })
    expect(words.status).toBe(422)
    expect(words.html).toContain('isi dengan angka, misalnya 20')

    const same = await dewi.post(`${path}/amend`, {
      commission: '20',
      settlement_cycle: 'monthly',
      consignment_days: '90',
    })
    expect(same.status).toBe(422)
    expect(same.html).toContain('Tidak ada ketentuan yang berubah')

    const stored = await read(id, 'kafe')
    expect(stored.latest_version).toBe(1)
    expect(stored.versions).toHaveLength(1)
    expect(stored.active_version).toBe(1)
  })

  it('shows another party’s agreement to nobody else', async () => {
    const id = await agreementOf('kafe', 'ape')
    const ayu = await network.signIn('galeri')
    const home = network.home('galeri')
    const list = await ayu.get(`${home}/agreements`)
    expect(textOf(list.html)).not.toContain('APE Gemawang')
    const other = await ayu.get(`${home}/agreements/${id}`)
    expect(other.status).toBe(404)
    expect(other.html).not.toContain('APE Gemawang')
    const accept = await ayu.post(`${home}/agreements/${id}/end`, {
      reason: 'bukan milik saya',
      confirm_end: 'yes',
    })
    expect(accept.status).toBe(404)
    expect((await read(id, 'kafe')).status).toBe('active')
    expect((await ayu.get(`${home}/agreements/bukan-id`)).status).toBe(404)
  })

  it('proposes a new agreement to a partner, sent in one go, which the partner accepts', async () => {
    const ayu = await network.signIn('galeri')
    const home = network.home('galeri')
    const form = await ayu.get(`${home}/agreements/new`)
    expect(form.status).toBe(200)
    // Makers it already has an agreement with are left out; the others are offered by name.
    expect(form.html).toMatch(/<option value="pty_[0-9a-z]+"[^>]*>APE Gemawang<\/option>/)
    expect(form.html).not.toMatch(/<option[^>]*>Batik Gemawangi<\/option>/)
    expect(form.html).toMatch(/<label for="counterparty_id">/)
    expect(textOf(form.html)).toContain('Ketentuan lain yang diusulkan')
    noIds(form.html)

    const missing = await ayu.post(`${home}/agreements`, {
      counterparty_id: '',
      commission: '15',
      settlement_cycle: 'weekly',
      consignment_days: '45',
    })
    expect(missing.status).toBe(422)
    expect(missing.html).toMatch(/id="counterparty_id"[^>]*aria-invalid="true"/)

    const sent = await ayu.post(`${home}/agreements`, {
      counterparty_id: partyId('ape'),
      commission: '15',
      settlement_cycle: 'weekly',
      consignment_days: '45',
    })
    expect(sent.status).toBe(303)
    const id = /\/agreements\/(agr_[0-9a-z]+)\?done=proposed$/.exec(sent.location ?? '')?.[1]
    expect(id).toBeDefined()
    const stored = await read(id as string, 'galeri')
    expect(stored.status).toBe('proposed')
    expect(stored.versions[0]?.state).toBe('proposed')
    expect(stored.versions[0]?.venue_accepted_by).toMatch(/^usr_/)

    const joko = await network.signIn('ape')
    const path = `${network.home('ape')}/agreements/${id}`
    const page = await joko.get(path)
    const seen = textOf(page.html)
    expect(seen).toContain('Perjanjian dengan Galeri Gemawangi')
    expect(seen).toContain('Galeri Gemawangi mendapat komisi 15% dari harga jual')
    expect(seen).toContain('Diusulkan, menunggu persetujuan')
    noIds(page.html)
    const hash = /name="terms_hash" value="([0-9a-f]{64})"/.exec(page.html)?.[1] as string
    const accepted = await joko.post(`${path}/accept`, { version: '1', terms_hash: hash })
    expect(accepted.location).toBe(`${path}?done=inForce`)
    expect((await read(id as string, 'galeri')).status).toBe('active')
  })

  it('ends an agreement with a reason, and says what becomes of the goods', async () => {
    const id = await agreementOf('galeri', 'madu')
    const ayu = await network.signIn('galeri')
    const path = `${network.home('galeri')}/agreements/${id}`
    await ayu.get(path)
    const unconfirmed = await ayu.post(`${path}/end`, { reason: 'Galeri direnovasi' })
    expect(unconfirmed.status).toBe(422)
    expect(unconfirmed.html).toMatch(/id="confirm_end"[^>]*aria-invalid="true"/)
    expect((await read(id, 'galeri')).status).toBe('active')

    const ended = await ayu.post(`${path}/end`, {
      reason: 'Galeri direnovasi',
      confirm_end: 'yes',
    })
    expect(ended.location).toBe(`${path}?done=ended`)
    const page = textOf((await follow(ayu, ended)).html)
    expect(page).toContain('Diakhiri')
    expect(page).toContain('Alasan: Galeri direnovasi')
    expect(page).toContain('Versi terakhir yang berlaku: 1')
    expect(page).toContain('Berlaku sampai perjanjian diakhiri')
    expect(page).not.toContain('Ketentuan yang berlaku (versi 1)')
    expect(page).toContain('Barang Madu Gemawang yang masih di Galeri Gemawangi dikembalikan')
    expect(page).not.toContain('Akhiri perjanjian')
    expect((await read(id, 'galeri')).status).toBe('terminated')
  })
  it('keeps a draft that was not sent in sight, for its author to send or withdraw', async () => {
    // A draft saved but never sent, as when sending failed after the draft was made.
    const ended = await read(await agreementOf('galeri', 'madu'), 'galeri')
    const draft = await proposeAgreement(
      network.api.database().db,
      { partyId: partyId('madu'), role: 'owner' },
      {
        counterparty_id: partyId('galeri'),
        terms: ended.versions[0]?.terms as ConsignmentTermsInput,
      },
    )
    const siti = await network.signIn('madu')
    const path = `${network.home('madu')}/agreements/${draft.id}`
    const mine = textOf((await siti.get(path)).html)
    expect(mine).toContain('Versi 1 masih draf: mitra Anda belum melihatnya')
    expect(mine).toContain('Kirim versi 1 ke mitra')
    expect(mine).toContain('Tarik kembali versi 1')
    expect(mine).not.toContain('Setujui versi 1')

    const ayu = await network.signIn('galeri')
    const theirs = textOf((await ayu.get(`${network.home('galeri')}/agreements/${draft.id}`)).html)
    expect(theirs).toContain('Versi 1 masih disusun oleh Madu Gemawang')
    expect(theirs).not.toContain('Setujui versi 1')

    const sent = await siti.post(`${path}/send`, {})
    expect(sent.location).toBe(`${path}?done=sent`)
    const after = textOf((await follow(siti, sent)).html)
    expect(after).toContain('Usulan terkirim ke mitra.')
    // Sending accepts nothing: the author accepts too, when ready.
    expect(after).toContain('Setujui versi 1')
    expect((await read(draft.id, 'galeri')).status).toBe('proposed')
  })
})
