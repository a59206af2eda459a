import { isMitraError, type MitraError } from '@mitra/core'
import { describe, expect, it } from 'vitest'
import {
  assertReadablePalette,
  brandKitInputSchema,
  checkPalette,
  normalizePirtNumber,
  type Palette,
  validateBrandKit,
} from './kit.js'
import { socialLinks, socialSchema } from './social.js'
import { sampleKit } from './test-support.js'

function refusal(work: () => unknown): MitraError {
  try {
    work()
  } catch (error) {
    if (isMitraError(error)) return error
    throw error
  }
  throw new Error('expected a MitraError')
}

const readable: Palette = {
  primary: '#1f3a5f',
  on_primary: '#ffffff',
  background: '#fbf7f0',
  text: '#241a12',
  accent: '#e0a526',
  on_accent: '#241a12',
}

describe('brandKitInputSchema', () => {
  it('accepts a full kit and normalises it', () => {
    const kit = validateBrandKit(sampleKit())
    expect(kit.palette.primary).toBe('#1f3a5f')
    expect(kit.palette.muted).toBeUndefined()
    expect(kit.social).toEqual({
      instagram: 'batikgemawangi',
      whatsapp: '+6281234567890',
      website: 'https://gemawangi.example.id/',
    })
    expect(kit.certifications).toEqual([
      { kind: 'pirt', number: '206337401020024', issuer: 'Dinkes Kab. Semarang' },
    ])
  })

  it('fills optional parts: English text, social links, certifications, logo', () => {
    const kit = validateBrandKit(
      sampleKit({ tagline: { id: 'Madu hutan' }, social: undefined, certifications: undefined }),
    )
    expect(kit.tagline).toEqual({ id: 'Madu hutan', en: '' })
    expect(kit.social).toEqual({})
    expect(kit.certifications).toEqual([])
    expect(kit.logo_media_id).toBeUndefined()
  })

  it('rejects unknown fields, at the top and inside', () => {
    for (const input of [
      sampleKit({ pallete: {} }),
      sampleKit({ origin: { ...(sampleKit().origin as object), country: 'ID' } }),
      sampleKit({ palette: { ...readable, secondary: '#000000' } }),
      sampleKit({ social: { twitter: 'x' } }),
    ]) {
      const error = refusal(() => validateBrandKit(input))
      expect(error.code).toBe('validation_failed')
      expect(error.errors.some((e) => e.code === 'unrecognized_keys')).toBe(true)
    }
  })

  it('names each failing field', () => {
    const error = refusal(() =>
      validateBrandKit(
        sampleKit({
          name: '  ',
          slug: 'Batik Gemawangi',
          palette: { ...readable, primary: 'navy' },
          typography: { heading: 'Comic Sans', body: 'system-sans' },
          logo_media_id: 'prod_01jabcdefghjkmnpqrstvwxyz0',
          origin: { village: 'Gemawang', district: 'Jambu', regency: '', province: 'Jawa\nTengah' },
        }),
      ),
    )
    expect(error.status).toBe(422)
    expect(error.errors.map((e) => e.path).sort()).toEqual([
      'logo_media_id',
      'name',
      'origin.province',
      'origin.regency',
      'palette.primary',
      'slug',
      'typography.heading',
    ])
  })

  it('keeps line breaks in the story but no other control characters', () => {
    expect(validateBrandKit(sampleKit({ story: { id: 'a\r\nb' } })).story.id).toBe('a\nb')
    const error = refusal(() => validateBrandKit(sampleKit({ story: { id: 'a\u0000b' } })))
    expect(error.errors[0]?.path).toBe('story.id')
  })

  it('checks P-IRT numbers (15 digits) and keeps other certificates permissive', () => {
    expect(normalizePirtNumber('2063374010200-24')).toBe('206337401020024')
    expect(normalizePirtNumber('SPP-IRT No. 206 3374 0102 00 24')).toBe('206337401020024')
    expect(normalizePirtNumber('P-IRT: 20633740102002')).toBeUndefined()
    expect(normalizePirtNumber('P-IRT 2063374010200245')).toBeUndefined()
    const error = refusal(() =>
      validateBrandKit(sampleKit({ certifications: [{ kind: 'pirt', number: '12345' }] })),
    )
    expect(error.errors[0]).toMatchObject({ path: 'certifications.0.number' })
    const kit = validateBrandKit(
      sampleKit({
        certifications: [
          { kind: 'halal', number: 'ID33110000123450321', valid_until: '2028-05-31' },
          { kind: 'sni', number: 'SNI 8302:2016' },
          { kind: 'other', number: 'Indikasi Geografis 001', issuer: 'DJKI' },
        ],
      }),
    )
    expect(kit.certifications.map((c) => c.number)).toEqual([
      'ID33110000123450321',
      'SNI 8302:2016',
      'Indikasi Geografis 001',
    ])
    for (const bad of [
      { kind: 'halal', number: '   ' },
      { kind: 'sni', number: 'x', valid_until: '2028-02-30' },
      { kind: 'iso', number: '9001' },
    ]) {
      expect(() => validateBrandKit(sampleKit({ certifications: [bad] }))).toThrow()
    }
  })

  it('exposes its input type to callers (strict, with defaults)', () => {
    expect(brandKitInputSchema.safeParse(sampleKit()).success).toBe(true)
    expect(brandKitInputSchema.safeParse({}).success).toBe(false)
  })
})

describe('social links', () => {
  it('turns handles and pasted profile URLs into canonical handles', () => {
    const social = socialSchema.parse({
      instagram: 'https://www.instagram.com/Batik.Gemawangi/?hl=id',
      facebook: 'https://m.facebook.com/profile.php?id=100064123456789',
      tiktok: 'www.tiktok.com/@madu_sumbing',
      whatsapp: '+62 (812) 3456.7890',
      website: 'https://desa-gemawang.id/produk?utm=1',
    })
    expect(social).toEqual({
      instagram: 'batik.gemawangi',
      facebook: '100064123456789',
      tiktok: 'madu_sumbing',
      whatsapp: '+6281234567890',
      website: 'https://desa-gemawang.id/produk?utm=1',
    })
    expect(socialLinks(social).map((l) => l.url)).toEqual([
      'https://www.instagram.com/batik.gemawangi/',
      'https://www.facebook.com/100064123456789',
      'https://www.tiktok.com/@madu_sumbing',
      'https://wa.me/6281234567890',
      'https://desa-gemawang.id/produk?utm=1',
    ])
    expect(socialSchema.parse({ facebook: 'galerigemawangi' }).facebook).toBe('galerigemawangi')
  })

  it('refuses the wrong network, bad handles, local numbers and non-https sites', () => {
    for (const input of [
      { instagram: 'https://evil.example/batik' },
      { instagram: 'javascript:alert(1)' },
      { instagram: 'batik gemawangi' },
      { tiktok: 'https://www.instagram.com/batik' },
      { facebook: 'abc' },
      { whatsapp: '0812 3456 7890' },
      { whatsapp: '+0812345678' },
      { website: 'http://gemawangi.id' },
      { website: 'javascript:alert(1)' },
      { website: 'https://user:pw@gemawangi.id' },
      { website: 'https://localhost' },
    ]) {
      const result = socialSchema.safeParse(input)
      expect(result.success, JSON.stringify(input)).toBe(false)
    }
    const local = socialSchema.safeParse({ whatsapp: '0812 3456 7890' })
    expect(local.error?.issues[0]?.message).toContain('+62')
  })
})

describe('palette contrast', () => {
  it('passes a readable palette and lists every pair it checked', () => {
    expect(() => assertReadablePalette(readable)).not.toThrow()
    expect(checkPalette(readable).map((c) => c.path)).toEqual([
      'palette.text',
      'palette.on_primary',
      'palette.on_accent',
    ])
    expect(checkPalette({ ...readable, muted: '#6b5d50' }).map((c) => c.path)).toContain(
      'palette.muted',
    )
  })

  it('refuses pairs under 4.5:1, naming the field and the ratio', () => {
    const error = refusal(() =>
      assertReadablePalette({
        ...readable,
        text: '#8a8a8a', // 3.2:1 on the cream background
        on_primary: '#777777', // grey on navy
      }),
    )
    expect(error.code).toBe('palette_contrast')
    expect(error.status).toBe(422)
    expect(error.errors.map((e) => e.path)).toEqual(['palette.text', 'palette.on_primary'])
    expect(error.errors[0]?.message).toMatch(/^text on background is \d\.\d\d:1, needs 4\.5:1$/)
    expect(error.extensions.contrast).toHaveLength(2)
  })

  it('is part of validating a kit, after the schema', () => {
    const error = refusal(() =>
      validateBrandKit(sampleKit({ palette: { ...readable, muted: '#ccc' } })),
    )
    expect(error.code).toBe('palette_contrast')
    expect(error.errors[0]?.path).toBe('palette.muted')
    expect(error.message).toContain('palette.muted')
  })
})
