import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMitraError } from '@mitra/core'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderSocialCard, socialCardSize } from './social-card.js'
import { makePhoto, makeSolid } from './test-support.js'

/** Pixels of the card's text panel (right of the photo), where the text is drawn. */
async function panel(card: Buffer, region = { left: 700, top: 150, width: 460, height: 300 }) {
  return sharp(card).extract(region).greyscale().raw().toBuffer()
}

describe('renderSocialCard', () => {
  let photo: Buffer
  let logo: Buffer

  beforeAll(async () => {
    photo = await makePhoto(1600, 1200, { exif: { IFD0: { Make: 'MitraPhone' } } })
    logo = await makeSolid(160, 160, '#1f3a5f', 'png', 0.9)
  })

  it('renders a 1200 × 630 card with the photo, text and logo, and no metadata', async () => {
    const card = await renderSocialCard({
      photo,
      logo,
      brandName: 'Batik Gemawangi',
      title: 'Kain batik tulis indigo motif kopi',
      price: { amount: 150_000, currency: 'IDR' },
      locale: 'id',
      village: 'Gemawang',
      format: 'png',
    })
    writeFileSync(join(tmpdir(), 'mitra-social-card.png'), card.data)
    const metadata = await sharp(card.data).metadata()
    expect([metadata.width, metadata.height]).toEqual([socialCardSize.width, socialCardSize.height])
    expect(metadata.format).toBe('png')
    expect(metadata.exif).toBeUndefined()

    // The text panel has dark glyph pixels on its light background: fonts rendered.
    const pixels = await panel(card.data)
    const dark = pixels.filter((v) => v < 80).length
    expect(dark / pixels.length).toBeGreaterThan(0.03)
    // The logo is drawn at the top of the panel in its colour (#1f3a5f, mostly opaque).
    const { data } = await sharp(card.data)
      .extract({ left: 730, top: 80, width: 20, height: 20 })
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect(data[2]! - data[0]!).toBeGreaterThan(40)
  })

  it('changes with the price and locale (the text is really drawn)', async () => {
    const base = {
      photo,
      brandName: 'Madu Sumbing',
      title: 'Madu hutan 250 g',
      locale: 'id' as const,
      format: 'png' as const,
    }
    const a = await renderSocialCard({ ...base, price: { amount: 85_000, currency: 'IDR' } })
    const b = await renderSocialCard({ ...base, price: { amount: 95_000, currency: 'IDR' } })
    const en = await renderSocialCard({
      ...base,
      locale: 'en',
      price: { amount: 85_000, currency: 'IDR' },
    })
    const priceRow = { left: 700, top: 250, width: 460, height: 90 }
    expect(Buffer.compare(await panel(a.data, priceRow), await panel(b.data, priceRow))).not.toBe(0)
    expect(Buffer.compare(await panel(a.data, priceRow), await panel(en.data, priceRow))).not.toBe(
      0,
    )
  })

  it('escapes text and keeps very long names inside the card', async () => {
    const card = await renderSocialCard({
      photo,
      brandName: '<Kelompok & "Usaha"> Bersama Sejahtera Makmur Abadi Selamanya Jaya',
      title: `${'Anyaman bambu '.repeat(20)}</text><script>`,
      price: { amount: 12_500_000, currency: 'IDR' },
      locale: 'en',
      palette: { primary: '#e0a526', background: '#ffffff', text: '#111111' },
    })
    const metadata = await sharp(card.data).metadata()
    expect(metadata.format).toBe('jpeg')
    expect([metadata.width, metadata.height]).toEqual([1200, 630])
    // Nothing is drawn in the right margin.
    const margin = await sharp(card.data)
      .extract({ left: 1185, top: 0, width: 15, height: 630 })
      .greyscale()
      .raw()
      .toBuffer()
    expect(Math.min(...margin)).toBeGreaterThan(200)
  })

  it('checks the photo like an upload', async () => {
    let caught: unknown
    try {
      await renderSocialCard({
        photo: Buffer.from('not a photo'),
        brandName: 'X',
        title: 'Y',
        price: { amount: 1, currency: 'IDR' },
        locale: 'id',
      })
    } catch (error) {
      caught = error
    }
    expect(isMitraError(caught) && caught.code).toBe('unsupported_media_type')
  })
})
