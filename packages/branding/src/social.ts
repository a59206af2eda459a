import { z } from 'zod'

/**
 * Social links as a producer types them — `@batikgemawangi`, a pasted profile URL, a phone
 * number with spaces — normalised to one canonical form each: a handle (or Facebook's numeric
 * id), an E.164 number, an https URL. The links shown to buyers are derived from these, so a
 * stored value can never point somewhere else than the network it names.
 */

function profileUrl(value: string, hosts: readonly string[]): URL | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined
  try {
    const url = new URL(value)
    return hosts.includes(url.hostname.toLowerCase()) ? url : undefined
  } catch {
    return undefined
  }
}

function firstSegment(url: URL): string {
  return decodeURIComponent(url.pathname.split('/').find((part) => part !== '') ?? '')
}

const instagramHosts = ['instagram.com', 'www.instagram.com', 'm.instagram.com']
const tiktokHosts = ['tiktok.com', 'www.tiktok.com', 'm.tiktok.com']
const facebookHosts = ['facebook.com', 'www.facebook.com', 'm.facebook.com', 'web.facebook.com']

const instagramHandle = /^[a-z0-9._]{1,30}$/
const tiktokHandle = /^[a-z0-9._]{2,24}$/
const facebookHandle = /^(?:[a-z0-9.]{5,50}|\d{5,20})$/

function handleSchema(
  network: string,
  hosts: readonly string[],
  pattern: RegExp,
  fromUrl: (url: URL) => string,
) {
  return z
    .string()
    .trim()
    .min(1)
    .max(200)
    .transform((raw, ctx) => {
      // `https://www.instagram.com/x/`, or the same pasted without its scheme.
      const asUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw)
        ? raw
        : /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\//i.test(raw)
          ? `https://${raw}`
          : undefined
      let handle: string
      if (asUrl !== undefined) {
        const url = profileUrl(asUrl, hosts)
        if (url === undefined) {
          ctx.addIssue({ code: 'custom', message: `expected a ${network} handle or profile URL` })
          return z.NEVER
        }
        handle = fromUrl(url)
      } else {
        handle = raw.replace(/^@/, '')
      }
      handle = handle.toLowerCase()
      if (!pattern.test(handle)) {
        ctx.addIssue({ code: 'custom', message: `'${raw}' is not a valid ${network} handle` })
        return z.NEVER
      }
      return handle
    })
}

const whatsappSchema = z
  .string()
  .trim()
  .max(32)
  .transform((raw, ctx) => {
    const compact = raw.replace(/[\s\-().]/g, '')
    if (/^\+[1-9]\d{7,14}$/.test(compact)) return compact
    ctx.addIssue({
      code: 'custom',
      message: compact.startsWith('0')
        ? 'use the international format with the country code, e.g. +6281234567890'
        : 'expected a phone number in E.164 format, e.g. +6281234567890',
    })
    return z.NEVER
  })

const websiteSchema = z
  .string()
  .trim()
  .max(2048)
  .transform((raw, ctx) => {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected an https URL, e.g. https://example.id' })
      return z.NEVER
    }
    if (url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'the website must use https://' })
      return z.NEVER
    }
    if (url.username !== '' || url.password !== '' || !url.hostname.includes('.')) {
      ctx.addIssue({ code: 'custom', message: 'expected a public https URL with a domain name' })
      return z.NEVER
    }
    return url.href
  })

export const socialSchema = z.strictObject({
  instagram: handleSchema('Instagram', instagramHosts, instagramHandle, firstSegment).optional(),
  facebook: handleSchema('Facebook', facebookHosts, facebookHandle, (url) =>
    url.pathname.replace(/\/+$/, '') === '/profile.php'
      ? (url.searchParams.get('id') ?? '')
      : firstSegment(url),
  ).optional(),
  tiktok: handleSchema('TikTok', tiktokHosts, tiktokHandle, (url) =>
    firstSegment(url).replace(/^@/, ''),
  ).optional(),
  whatsapp: whatsappSchema.optional(),
  website: websiteSchema.optional(),
})

export type SocialInput = z.input<typeof socialSchema>
export type Social = z.output<typeof socialSchema>

export interface SocialLink {
  network: 'instagram' | 'facebook' | 'tiktok' | 'whatsapp' | 'website'
  /** What to show: `@batikgemawangi`, `+62 812…`, the site's host. */
  label: string
  url: string
}

/** The links to show for a kit's (validated) social handles, in a fixed order. */
export function socialLinks(social: Social): SocialLink[] {
  const links: SocialLink[] = []
  if (social.instagram) {
    links.push({
      network: 'instagram',
      label: `@${social.instagram}`,
      url: `https://www.instagram.com/${social.instagram}/`,
    })
  }
  if (social.facebook) {
    links.push({
      network: 'facebook',
      label: social.facebook,
      url: `https://www.facebook.com/${social.facebook}`,
    })
  }
  if (social.tiktok) {
    links.push({
      network: 'tiktok',
      label: `@${social.tiktok}`,
      url: `https://www.tiktok.com/@${social.tiktok}`,
    })
  }
  if (social.whatsapp) {
    links.push({
      network: 'whatsapp',
      label: social.whatsapp,
      url: `https://wa.me/${social.whatsapp.slice(1)}`,
    })
  }
  if (social.website) {
    links.push({ network: 'website', label: new URL(social.website).host, url: social.website })
  }
  return links
}
