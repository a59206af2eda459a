/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { date, money } from '../format.js'
import { type FieldErrors, fieldErrors, problemText } from '../forms.js'
import { at, Csrf, FieldError, invalid, page } from '../layout.js'
import type { PartyContext } from '../routes.js'
import { act, type Screen, show } from './screen.js'
import { noticeOf, partyNames } from './shared.js'

const platform = ['platform'] as const
const kinds = ['producer', 'venue', 'cluster', 'core_partner'] as const

/** The network's parties, and onboarding a new one. */
async function home(ctx: PartyContext, errors: FieldErrors = {}) {
  const { v, admin } = ctx
  const { t } = v
  const parties = await admin.parties.list({ limit: 100 }).toArray()
  const posted = ctx.c.req.method === 'POST' ? await ctx.form() : {}
  return page(
    v,
    t.partiesTitle,
    <>
      <div class="table" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.kind}</th>
            </tr>
          </thead>
          <tbody>
            {parties.map((party) => (
              <tr>
                <td>{party.name}</td>
                <td>{t.kinds[party.kind] ?? party.kind}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t.onboard}</h2>
      <form method="post" action={at(v, '/parties')} class="stack" novalidate>
        <Csrf v={v} />
        <div>
          <label for="name">{t.name}</label>
          <input
            id="name"
            name="name"
            value={posted.name ?? ''}
            {...invalid('name', errors.name)}
          />
          <FieldError id="name" error={errors.name} />
        </div>
        <div>
          <label for="slug">{t.slug}</label>
          <input
            id="slug"
            name="slug"
            value={posted.slug ?? ''}
            {...invalid('slug', errors.slug)}
          />
          <FieldError id="slug" error={errors.slug} />
        </div>
        <div>
          <label for="kind">{t.kind}</label>
          <select id="kind" name="kind">
            {kinds.map((kind) => (
              <option value={kind} selected={posted.kind === kind}>
                {t.kinds[kind]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t.onboard}</button>
      </form>
    </>,
    { notice: noticeOf(ctx) },
  )
}

async function onboard(ctx: PartyContext) {
  const form = await ctx.form()
  try {
    const made = await ctx.admin.parties.create({
      name: form.name ?? '',
      slug: form.slug ?? '',
      kind: (form.kind ?? 'producer') as 'producer',
    })
    // Its first owner gets a one-time link to join (the key the API made is for developers).
    const { token } = await ctx.admin.invitations.create({ role: 'owner', party_id: made.party.id })
    const link = `${new URL(ctx.c.req.url).origin}/console/invite/${token}`
    return ctx.c.html(
      page(
        ctx.v,
        ctx.v.t.onboarded,
        <>
          <p>
            {made.party.name}: {ctx.v.t.inviteLink}
          </p>
          <code class="link">{link}</code>
          <p>
            <a href={at(ctx.v)}>{ctx.v.t.back}</a>
          </p>
        </>,
      ),
      201,
    )
  } catch (error) {
    return ctx.c.html(await home(ctx, fieldErrors(error, ctx.v.t) ?? {}), 422)
  }
}

/** Settlements: net each venue's commission against its cash, ask for the rest, pay out. */
async function settlements(ctx: PartyContext, done?: string) {
  const { v, admin } = ctx
  const { t, locale } = v
  const list = await admin.settlements.list({ limit: 20 }).toArray()
  const names = await partyNames(ctx, [
    ...new Set(list.flatMap((s) => s.payouts.map((p) => p.party_id))),
  ])
  return page(
    v,
    t.settlementsTitle,
    <>
      <form method="post" action={at(v, '/settlements')}>
        <Csrf v={v} />
        <button type="submit">{t.runSettlement}</button>
      </form>
      {list.length === 0 ? <p>{t.none}</p> : null}
      {list.reverse().map((settlement) => (
        <div class="card">
          <h2>{date(settlement.created_at, locale)}</h2>
          <ul>
            {settlement.payouts.map((payout) => (
              <li>
                {names.get(payout.party_id)}: {money(payout.amount, locale)} ({payout.status})
              </li>
            ))}
          </ul>
          <p class="muted">
            {t.remittances}: {settlement.remittance_ids.length}
          </p>
        </div>
      ))}
    </>,
    { notice: done },
  )
}

async function settle(ctx: PartyContext) {
  const settlement = await ctx.admin.settlements.create({ currency: 'IDR', minimum: 0 })
  return ctx.c.html(
    await settlements(
      ctx,
      ctx.v.t.settlementDone(settlement.payouts.length, settlement.remittance_ids.length),
    ),
  )
}

/**
 * Payouts: send what a settlement posted through each party's payout method; a bank payout
 * through Midtrans Iris waits for a second person's approval (the API refuses its creator).
 */
async function payouts(ctx: PartyContext, problem?: string) {
  const { v, admin } = ctx
  const { t, locale } = v
  const list = await admin.payouts.list({ limit: 50 }).toArray()
  const names = await partyNames(ctx, [...new Set(list.map((payout) => payout.party_id))])
  return page(
    v,
    t.payouts,
    <>
      {problem ? (
        <p class="problem" role="alert">
          {problem}
        </p>
      ) : null}
      {list.length === 0 ? <p>{t.none}</p> : null}
      {list.reverse().map((payout) => (
        <div class="card">
          <h2>{names.get(payout.party_id)}</h2>
          <p>
            <strong>{money(payout.amount, locale)}</strong>{' '}
            <span class={`status ${payout.status === 'paid' ? 'ok' : 'warn'}`}>
              {t.payoutStatus[payout.status] ?? payout.status}
            </span>{' '}
            {date(payout.created_at, locale)}
          </p>
          {payout.status === 'in_transit' ? (
            <div class="row">
              <form method="post" action={at(v, `/payouts/${payout.id}/execute`)}>
                <Csrf v={v} />
                <button type="submit">{t.sendPayout}</button>
              </form>
              <form method="post" action={at(v, `/payouts/${payout.id}/approve`)}>
                <Csrf v={v} />
                <button type="submit" class="quiet">
                  {t.approvePayout}
                </button>
              </form>
            </div>
          ) : null}
        </div>
      ))}
    </>,
    { notice: noticeOf(ctx) },
  )
}

const payoutAction =
  (action: 'execute' | 'approve') => async (ctx: PartyContext, params: Record<string, string>) => {
    try {
      await ctx.admin.payouts[action](params.id as string)
      return ctx.back('/payouts', 'saved')
    } catch (error) {
      return ctx.c.html(await payouts(ctx, problemText(error)), 422)
    }
  }

/** Statement disputes still open across the network, for the operator to follow up. */
async function disputes(ctx: PartyContext) {
  const { v, admin } = ctx
  const { t, locale } = v
  const { data } = await admin.statements.openDisputes()
  const names = await partyNames(ctx, [
    ...new Set(data.flatMap((d) => [d.producer_id, d.venue_id, d.party_id])),
  ])
  return page(
    v,
    t.disputesTitle,
    <>
      {data.length === 0 ? <p>{t.none}</p> : null}
      {data.map((dispute) => (
        <div class="card">
          <h2>
            {names.get(dispute.producer_id)} · {names.get(dispute.venue_id)}
          </h2>
          <p class="muted">
            {t.period}: {date(dispute.period.from, locale)} · {t.disputedBy}{' '}
            {names.get(dispute.party_id)} · {date(dispute.opened_at, locale)}
          </p>
          <p>{dispute.comment}</p>
        </div>
      ))}
    </>,
  )
}

export const platformScreens: Screen[] = [
  show('/disputes', platform, disputes),
  show('/payouts', platform, (ctx) => payouts(ctx)),
  act('/payouts/:id/execute', platform, payoutAction('execute')),
  act('/payouts/:id/approve', platform, payoutAction('approve')),
  show('/', platform, (ctx) => home(ctx)),
  act('/parties', platform, onboard),
  show('/settlements', platform, (ctx) => settlements(ctx)),
  act('/settlements', platform, settle),
]
