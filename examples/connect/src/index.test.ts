import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MitraApiError, MitraConnectionError } from '@mitra/sdk'
import { describe, expect, it } from 'vitest'
import { connect, demoKeysFile, reportFailure, rupiah } from './index.js'

describe('connect', () => {
  it('finds the demo keys beside MITRA_DATA_DIR, and MITRA_KEYS_FILE over it', () => {
    expect(demoKeysFile({ MITRA_DATA_DIR: '/srv/mitra/data' })).toBe('/srv/mitra/keys.json')
    expect(demoKeysFile({ MITRA_KEYS_FILE: '/etc/keys.json', MITRA_DATA_DIR: '/x' })).toBe(
      '/etc/keys.json',
    )
    expect(demoKeysFile({})).toMatch(/\.mitra\/keys\.json$/)
  })

  it('uses MITRA_SECRET_KEY when set, else the named demo party', async () => {
    const fromEnv = connect('kafe', { MITRA_URL: 'http://mitra.test', MITRA_SECRET_KEY: 'sk_1' })
    expect(fromEnv).toMatchObject({ baseUrl: 'http://mitra.test', keysFrom: 'MITRA_SECRET_KEY' })

    const folder = await mkdtemp(join(tmpdir(), 'mitra-keys-'))
    const file = join(folder, 'keys.json')
    await writeFile(file, JSON.stringify({ kafe: { party_id: 'pty_kafe', secret_key: 'sk_kafe' } }))
    const demo = connect('kafe', { MITRA_KEYS_FILE: file })
    expect(demo).toMatchObject({ baseUrl: 'http://localhost:3000', demoPartyId: 'pty_kafe' })
    expect(() => connect('galeri', { MITRA_KEYS_FILE: file })).toThrow(
      /has no 'galeri' \(it has kafe\)/,
    )
    expect(() => connect('kafe', { MITRA_KEYS_FILE: join(folder, 'none.json') })).toThrow(
      /npm start/,
    )
  })

  it('writes rupiah as Indonesians do', () => {
    expect(rupiah(350_000)).toBe('Rp350.000')
    expect(rupiah(-1_050_000)).toBe('-Rp1.050.000')
  })

  it('says why an example stopped: the refusal and its fields, mitra not running, or the message', () => {
    const said = (error: unknown) => {
      const lines: unknown[] = []
      reportFailure(error, (line) => lines.push(line))
      return lines
    }
    const refusal = new MitraApiError(
      422,
      {
        code: 'validation_failed',
        detail: 'The request body is not valid.',
        errors: [{ path: 'lines.0.quantity', code: 'too_small', message: 'must be at least 1' }],
      },
      'req_1',
    )
    expect(said(refusal)).toEqual([
      'mitra refused: validation_failed: The request body is not valid. (request req_1)',
      '  lines.0.quantity: must be at least 1',
    ])
    expect(said(new MitraConnectionError('fetch failed: http://localhost:3000', false))).toEqual([
      'fetch failed: http://localhost:3000. Is mitra running? Start it with `npm start`.',
    ])
    expect(said(new Error('No café: set MITRA_VENUE_ID'))).toEqual(['No café: set MITRA_VENUE_ID'])
    expect(said('thrown as is')).toEqual(['thrown as is'])
  })
})
