import { describe, expect, it } from 'vitest'
import { apiError, useSdkAgainstServer } from './test-support.js'

describe('API key rotation and the audit log through the SDK', () => {
  const api = useSdkAgainstServer()

  it('rotates a key with an overlap, refuses a second rotation, and lists the audit log', async () => {
    const owner = await api.party('producer')
    const mitra = api.clientFor(owner)
    const till = await mitra.admin.apiKeys.create({ kind: 'secret', name: 'till' })
    const rotated = await mitra.admin.apiKeys.rotate(till.api_key.id, { overlap_seconds: 3600 })
    expect(rotated.token).toMatch(/^sk_/)
    expect(rotated.api_key).toMatchObject({ name: 'till', expires_at: null })
    expect(rotated.replaced).toMatchObject({
      id: till.api_key.id,
      replaced_by: rotated.api_key.id,
      expires_at: expect.any(String),
    })
    // Both work during the overlap.
    for (const secret of [till.token, rotated.token]) {
      expect((await api.clientFor({ secret }).admin.party.get()).id).toBe(owner.id)
    }
    expect(await apiError(mitra.admin.apiKeys.rotate(till.api_key.id))).toMatchObject({
      status: 409,
      code: 'conflict',
    })

    const events = []
    for await (const event of mitra.admin.auditEvents.list({ limit: 1 })) events.push(event)
    expect(events.map((e) => e.action)).toEqual(['api_key.rotated', 'api_key.created'])
    const ofTill = await mitra.admin.auditEvents.list({ subject_id: till.api_key.id })
    expect(ofTill.data.map((e) => e.subject.id)).toEqual([till.api_key.id, till.api_key.id])
    const none = await mitra.admin.auditEvents.list({ action: 'payout.created' })
    expect(none.data).toEqual([])
  })
})
