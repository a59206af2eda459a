// `@mitra/sdk/testing`: the SDK against the real server, for the SDK's own tests and the
// examples'. Not part of the SDK proper: `.` and `./store` never import it, and it needs
// `@mitra/server`, `@mitra/consignment`, `@mitra/branding` and vitest beside it (the SDK's
// devDependencies, not installed with it).
import { sampleKit as brandingKit, makeSolid } from '@mitra/branding/testing'
import { sampleTerms as consignmentTerms } from '@mitra/consignment/testing'
import { type TestParty, useTestApi } from '@mitra/server/testing'
import { MitraApiError } from './errors.js'
import { type BodyOf, Mitra, type MitraOptions } from './index.js'

/** Consignment terms as the SDK sends them (`admin.agreements.create`, `amend`…). */
export type Terms = BodyOf<'/v1/admin/agreements', 'post'>['terms']

/**
 * Terms a test can start from: 20 % commission, 90 days + 14 grace, return at expiry, the
 * venue liable. What the API defaults (currency, fees, remittance…) is left out.
 */
export const sampleTerms: Terms = consignmentTerms

/** A brand kit as the SDK sends it (`admin.brandKit.set`). */
export type KitInput = BodyOf<'/v1/admin/brand_kit', 'put'>

/** A complete, valid brand kit (Batik Gemawangi of Desa Gemawang), with `overrides`. */
export const sampleKit = (overrides: Partial<KitInput> = {}): KitInput =>
  brandingKit(overrides) as KitInput

export type SdkTestApi = ReturnType<typeof useTestApi> & {
  /**
   * A `Mitra` client with `party`'s keys (its secret key alone, given no publishable one),
   * calling the app in-process; `options` override the defaults.
   */
  clientFor(
    party: Pick<TestParty, 'secret'> & Partial<Pick<TestParty, 'publishable'>>,
    options?: Partial<MitraOptions>,
  ): Mitra
}

/**
 * The SDK against the real server, in-process on PGlite: `useTestApi` plus a `Mitra` client
 * for any test party, calling the app through its `request` (no sockets). `appOptions` go to
 * the app (its `payments`, say).
 */
export function useSdkAgainstServer(appOptions: Parameters<typeof useTestApi>[1] = {}): SdkTestApi {
  const api = useTestApi('pglite', appOptions)
  const clientFor: SdkTestApi['clientFor'] = (party, options = {}) =>
    new Mitra({
      baseUrl: 'http://mitra.test',
      secretKey: party.secret,
      publishableKey: party.publishable,
      fetch: (request) => api.app().request(request),
      maxRetries: 0,
      ...options,
    })
  return { ...api, clientFor }
}

/** The `MitraApiError` a call rejects with; anything else (a success included) fails the test. */
export async function apiError(call: PromiseLike<unknown>): Promise<MitraApiError> {
  const outcome = await Promise.resolve(call).then(
    () => ({ rejected: false as const }),
    (reason: unknown) => ({ rejected: true as const, reason }),
  )
  if (!outcome.rejected) throw new Error('expected a MitraApiError, but the call succeeded')
  if (!(outcome.reason instanceof MitraApiError)) throw outcome.reason
  return outcome.reason
}

/** A small image in one colour, made on the spot: a real JPEG or PNG, ready to upload. */
export async function picture(
  width: number,
  height: number,
  color: string,
  format: 'jpeg' | 'png',
): Promise<Blob> {
  const bytes = await makeSolid(width, height, color, format)
  return new Blob([new Uint8Array(bytes)], { type: `image/${format}` })
}
