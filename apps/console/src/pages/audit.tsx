/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk'
import { dateTime } from '../format.js'
import { at, page } from '../layout.js'
import type { PartyContext } from '../routes.js'
import { auditStrings } from './audit-strings.js'
import { type Screen, show } from './screen.js'
import { partyNames } from './shared.js'

type AuditEvent = Schemas['AuditEvent']

/** The party's audit log, newest first, a page at a time (`?cursor=` for older ones). */
async function auditLog(ctx: PartyContext) {
  const { v } = ctx
  const w = auditStrings[v.locale]
  const cursor = ctx.c.req.query('cursor')
  const { data: events, next_cursor } = await ctx.admin.auditEvents.list({
    limit: 50,
    ...(cursor && /^aud_[0-9a-z]{26}$/.test(cursor) ? { cursor } : {}),
  })
  const names = await partyNames(
    ctx,
    events.flatMap((e) => (e.actor.party_id ? [e.actor.party_id] : [])),
  )
  const actor = (e: AuditEvent) => {
    if (e.actor.kind === 'system') return w.bySystem
    const by = e.actor.kind === 'user' ? w.byPerson : w.byKey
    const party = e.actor.party_id ? names.get(e.actor.party_id) : undefined
    return party ? `${party} (${by})` : by
  }
  return page(
    v,
    w.audit,
    <>
      <p class="muted">{w.auditLead}</p>
      {events.length === 0 ? (
        <p>{w.noEvents}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{w.when}</th>
              <th scope="col">{w.what}</th>
              <th scope="col">{w.who}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr>
                <td>{dateTime(e.created_at, v.locale)}</td>
                <td>{w.actions[e.action] ?? e.action}</td>
                <td>{actor(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next_cursor ? (
        <p>
          <a href={`${at(v, '/audit')}?cursor=${next_cursor}`}>{w.older}</a>
        </p>
      ) : null}
    </>,
  )
}

export const auditScreens: Screen[] = [
  show('/audit', ['producer', 'venue', 'cluster', 'platform'], auditLog),
]
