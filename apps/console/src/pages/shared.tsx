/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk'
import { date, jakartaDay, money } from '../format.js'
import { fieldErrors, problemText } from '../forms.js'
import type { Strings } from '../i18n.js'
import { at, Csrf, FieldError, invalid, page } from '../layout.js'
import type { PartyContext } from '../routes.js'
import { saleLineFacts, variantNames } from '../words/names.js'
import { StatementView } from '../words/statement.js'
import { TermsList } from '../words/terms.js'
import { auditStrings } from './audit-strings.js'
import { act, type Screen, show } from './screen.js'

const traders = ['producer', 'venue'] as const
const everyone = ['producer', 'venue', 'cluster', 'platform'] as const

/** The notices a screen may show after a redirect: a key, never text from the URL. */
const notices = ['saved', 'received', 'confirmed', 'recorded', 'acknowledged', 'onboarded'] as const
type NoticeKey = (typeof notices)[number]

export type { NoticeKey }

export function noticeOf(ctx: PartyContext): string | undefined {
  const key = ctx.c.req.query('done') as NoticeKey | undefined
  if (key === undefined || !notices.includes(key)) return undefined
  return ctx.v.t[key] as string
}

/**
 * Names of parties by id, from what the caller may read: venues from the public store, makers
 * from their brands, anyone else as the platform operator sees them (others get none: a name
 * never shown is better than a raw id, which the views never print).
 */
export async function partyNames(ctx: PartyContext, ids: readonly string[]) {
  const names = new Map<string, string>()
  if (ids.length === 0) return names
  const [venues, brands] = await Promise.all([
    ctx.store.venues.list({ limit: 100 }).toArray(),
    ctx.store.brands.list({ limit: 100 }).toArray(),
  ])
  for (const venue of venues) names.set(venue.id, venue.name)
  for (const brand of brands) names.set(brand.producer_id, brand.name)
  if (ctx.v.acting) names.set(ctx.v.acting.id, ctx.v.acting.name)
  for (const id of ids) {
    if (names.has(id)) continue
    const party = await ctx.admin.parties.get(id).catch(() => null)
    if (party) names.set(id, party.name)
  }
  return names
}

export const venueNames = partyNames

const who = (names: Map<string, string>, id: string, t: Strings) =>
  names.get(id) ?? t.kinds.platform

/** Remittances: a venue records what it paid; the one paid confirms it arrived. */
async function remittances(ctx: PartyContext, errors: Record<string, Record<string, string>> = {}) {
  const { v, admin } = ctx
  const { t, locale } = v
  const paying = v.acting?.kind === 'venue'
  const [list, payouts] = await Promise.all([
    admin.remittances.list({ direction: paying ? 'from' : 'to', limit: 50 }),
    // What the platform paid out to a producer, beside what venues handed over directly.
    v.acting?.kind === 'producer' ? admin.payouts.list({ limit: 50 }).toArray() : [],
  ])
  const names = await partyNames(ctx, [
    ...new Set(list.data.flatMap((r) => [r.from_party_id, r.to_party_id])),
  ])
  return page(
    v,
    t.remittances,
    <>
      {payouts.length > 0 ? (
        <section aria-labelledby="payouts">
          <h2 id="payouts">{t.payoutsToMe}</h2>
          <ul>
            {payouts.map((payout) => (
              <li>
                {money(payout.amount, locale)} · {t.payoutStatus[payout.status] ?? payout.status} ·{' '}
                {date(payout.created_at, locale)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {list.data.length === 0 ? <p>{t.noRemittances}</p> : null}
      {list.data.map((remittance) => {
        const own = errors[remittance.id] ?? {}
        const id = (field: string) => `${field}-${remittance.id}`
        return (
          <div class="card">
            <h2>
              {paying
                ? `${t.to} ${who(names, remittance.to_party_id, t)}`
                : `${t.from} ${who(names, remittance.from_party_id, t)}`}
            </h2>
            <p>
              <strong>{money(remittance.amount, locale)}</strong>{' '}
              <span class={`status ${remittance.status === 'confirmed' ? 'ok' : 'warn'}`}>
                {t.remStatus[remittance.status]}
              </span>
              {remittance.due_at ? ` · ${t.due} ${date(remittance.due_at, locale)}` : ''}
            </p>
            {remittance.reference ? (
              <p class="muted">
                {t.methods[remittance.method ?? 'other'] ?? remittance.method} ·{' '}
                {remittance.reference}
              </p>
            ) : null}
            {paying && (remittance.status === 'due' || remittance.status === 'disputed') ? (
              <form
                method="post"
                action={at(v, `/remittances/${remittance.id}/record`)}
                class="stack"
                novalidate
              >
                <Csrf v={v} />
                <div>
                  <label for={id('method')}>{t.method}</label>
                  <select id={id('method')} name="method">
                    {(['cash', 'transfer', 'qris', 'other'] as const).map((method) => (
                      <option value={method}>{t.methods[method]}</option>
                    ))}
                  </select>
                </div>
                <div>
                  <label for={id('reference')}>{t.reference}</label>
                  <input
                    id={id('reference')}
                    name="reference"
                    {...invalid(id('reference'), own.reference)}
                  />
                  <FieldError id={id('reference')} error={own.reference} />
                </div>
                <button type="submit">{t.record}</button>
              </form>
            ) : null}
            {!paying && remittance.status === 'recorded' ? (
              <form method="post" action={at(v, `/remittances/${remittance.id}/confirm`)}>
                <Csrf v={v} />
                <button type="submit">{t.confirm}</button>
              </form>
            ) : null}
          </div>
        )
      })}
    </>,
    { notice: noticeOf(ctx) },
  )
}

async function recordRemittance(ctx: PartyContext, params: Record<string, string>) {
  const form = await ctx.form()
  const id = params.id as string
  try {
    await ctx.admin.remittances.record(id, {
      method: (form.method ?? 'cash') as 'cash',
      reference: form.reference ?? '',
    })
    return ctx.back('/remittances', 'recorded')
  } catch (error) {
    const errors = fieldErrors(error, ctx.v.t) ?? { reference: problemText(error) }
    return ctx.c.html(await remittances(ctx, { [id]: errors }), 422)
  }
}

async function confirmRemittance(ctx: PartyContext, params: Record<string, string>) {
  await ctx.admin.remittances.confirm(params.id as string)
  return ctx.back('/remittances', 'confirmed')
}

/** This month in Jakarta, `2026-12`: the default statement period. */
const thisMonth = () => jakartaDay().slice(0, 7)

/** Statements: one per agreement and period, with product names and dates. */
async function statements(ctx: PartyContext) {
  const { v, admin } = ctx
  const { t } = v
  const agreements = await admin.agreements.list({ limit: 100 }).toArray()
  const names = await partyNames(ctx, [
    ...new Set(agreements.flatMap((a) => [a.producer_id, a.venue_id])),
  ])
  const period = thisMonth()
  return page(
    v,
    t.statements,
    <ul class="parties">
      {agreements
        .filter((agreement) => agreement.active_version !== null)
        .map((agreement) => (
          <li>
            <a href={at(v, `/statements/${agreement.id}?period=${period}`)}>
              <strong>
                {names.get(agreement.producer_id)} · {names.get(agreement.venue_id)}
              </strong>
              <br />
              {t.period}: {period}
            </a>
          </li>
        ))}
    </ul>,
  )
}

async function statement(ctx: PartyContext, params: Record<string, string>) {
  const { v, admin, c } = ctx
  const { t, locale } = v
  const id = params.id as string
  const period = /^\d{4}-\d{2}$/.test(c.req.query('period') ?? '')
    ? (c.req.query('period') as string)
    : thisMonth()
  const [found, agreement] = await Promise.all([
    admin.statements.get(id, { period, locale }),
    admin.agreements.get(id),
  ])
  const sales = await admin.sales
    .list({ from: found.period.from, to: found.period.to, limit: 100 })
    .toArray()
    .catch(() => [] as Schemas['Sale'][])
  const products = await ctx.store.products.list({ limit: 100 }).toArray()
  const parties = await partyNames(ctx, [
    agreement.producer_id,
    agreement.venue_id,
    ...found.statement.entries.flatMap((entry) => entry.shares.map((share) => share.party_id)),
  ])
  const names = {
    parties: Object.fromEntries(parties),
    agreement,
    variants: variantNames(products),
    saleLines: saleLineFacts(sales),
  }
  const terms = agreement.versions.find(
    (version) => version.version === agreement.active_version,
  )?.terms
  const reviewed = found.review.acknowledgments.some((a) => a.party_id === v.acting?.id)
  return page(
    v,
    `${t.statements}: ${parties.get(agreement.producer_id)} · ${parties.get(agreement.venue_id)}`,
    <>
      <StatementView
        locale={locale}
        statement={found}
        names={names}
        renderLineActions={(line) =>
          line.kind === 'sale' && line.review !== 'disputed' ? (
            <details class="noprint">
              <summary>{t.dispute}</summary>
              <form method="post" action={at(v, `/statements/${id}/disputes?period=${period}`)}>
                <Csrf v={v} />
                <input type="hidden" name="line_ref" value={line.ref} />
                <input type="hidden" name="statement_hash" value={found.statement_hash} />
                <label for={`comment-${line.ref}`}>{t.disputeComment}</label>
                <textarea id={`comment-${line.ref}`} name="comment" rows={2} required />
                <button type="submit" class="quiet">
                  {t.dispute}
                </button>
              </form>
            </details>
          ) : null
        }
      />
      {reviewed ? null : (
        <form
          method="post"
          action={at(v, `/statements/${id}/acknowledge?period=${period}`)}
          class="noprint"
        >
          <Csrf v={v} />
          <input type="hidden" name="statement_hash" value={found.statement_hash} />
          <button type="submit">{t.acknowledge}</button>
        </form>
      )}
      {terms ? (
        <section aria-labelledby="terms">
          <h2 id="terms">{t.terms}</h2>
          <TermsList terms={terms} locale={locale} names={names} />
        </section>
      ) : null}
    </>,
    { notice: noticeOf(ctx) },
  )
}

async function acknowledge(ctx: PartyContext, params: Record<string, string>) {
  const form = await ctx.form()
  const period = ctx.c.req.query('period') ?? thisMonth()
  await ctx.admin.statements.acknowledge(params.id as string, {
    period,
    statement_hash: form.statement_hash ?? '',
  })
  return ctx.back(`/statements/${params.id}?period=${period}`, 'acknowledged')
}

/** The people of this party; an owner invites more by a one-time link. */
async function people(ctx: PartyContext, link?: string) {
  const { v } = ctx
  const { t } = v
  const party = v.acting as NonNullable<typeof v.acting>
  const { data: members } = await ctx.admin.users.list()
  const owner = party.role === 'owner'
  return page(
    v,
    t.people,
    <>
      <ul>
        {members.map(({ user, membership }) => (
          <li>
            {user.name} · {t.roles[membership.role]}
          </li>
        ))}
      </ul>
      {owner ? (
        <section aria-labelledby="invite">
          <h2 id="invite">{t.invite}</h2>
          <p class="muted">{t.inviteLead}</p>
          {link ? (
            <>
              <p>{t.inviteLink}</p>
              <code class="link">{link}</code>
            </>
          ) : null}
          <form method="post" action={at(v, '/people/invite')} class="row">
            <Csrf v={v} />
            <label for="role">{t.inviteRole}</label>
            <select id="role" name="role">
              {(['staff', 'viewer', 'owner'] as const).map((role) => (
                <option value={role}>{t.roles[role]}</option>
              ))}
            </select>
            <button type="submit">{t.inviteMake}</button>
          </form>
        </section>
      ) : null}
      <p>
        <a href={at(v, '/audit')}>{auditStrings[v.locale].audit}</a>
      </p>
      <form method="post" action="/console/sign-out-everywhere" class="noprint">
        <Csrf v={v} />
        <button type="submit" class="quiet">
          {t.signOutEverywhere}
        </button>
      </form>
    </>,
  )
}

async function makeInvitation(ctx: PartyContext) {
  const form = await ctx.form()
  const role = (['owner', 'staff', 'viewer'] as const).find((r) => r === form.role) ?? 'staff'
  const { token } = await ctx.admin.invitations.create({ role })
  const origin = new URL(ctx.c.req.url).origin
  return ctx.c.html(await people(ctx, `${origin}/console/invite/${token}`))
}

export const sharedScreens: Screen[] = [
  {
    method: 'GET',
    path: '/remittances',
    kinds: [...traders, 'platform'],
    run: async (ctx) => ctx.c.html(await remittances(ctx)),
  },
  act('/remittances/:id/record', ['venue'], recordRemittance),
  {
    method: 'POST',
    path: '/remittances/:id/confirm',
    kinds: ['producer', 'platform'],
    run: confirmRemittance,
  },
  show('/statements', traders, statements),
  show('/statements/:id', traders, statement),
  act('/statements/:id/acknowledge', traders, acknowledge),
  show('/people', everyone, (ctx) => people(ctx)),
  act('/people/invite', everyone, makeInvitation),
]
