/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { date, groupBy, money } from '../format.js'
import { Figures, page } from '../layout.js'
import type { PartyContext } from '../routes.js'
import { type Screen, show } from './screen.js'

/** Goods older than this are "aging": a partnership where they pile up needs a visit. */
const agingDays = 60

/** The cooperative's month: every member's stock and sales, its fees, each venue's health. */
async function home(ctx: PartyContext) {
  const { v, admin } = ctx
  const { t, locale } = v
  const [cluster, balance, open, punctuality] = await Promise.all([
    admin.stock.cluster(),
    admin.balance.get(),
    admin.statements.openDisputes(),
    admin.statements.punctuality(),
  ])
  /** Of the venue's partnerships with members, how many acknowledged last period on time. */
  const onTimeAt = (venueId: string) => {
    const rows = punctuality.data.filter((row) => row.venue_id === venueId)
    return rows.length === 0 ? '–' : `${rows.filter((row) => row.on_time).length}/${rows.length}`
  }
  const openAt = (venueId: string) => open.data.filter((d) => d.venue_id === venueId).length
  const rows = cluster.members.flatMap((member) =>
    member.stock.rows.map((row) => ({ ...row, member: member.producer_name })),
  )
  const venues = groupBy(rows, (row) => row.venue_id)
  const since = cluster.members[0]?.stock.since
  return page(
    v,
    t.coopTitle,
    <>
      {since ? (
        <p class="muted">
          {date(since, locale)} – {date(new Date().toISOString(), locale)}
        </p>
      ) : null}
      <ul class="figures">
        <li>
          <strong>{cluster.members.length}</strong>
          <span>{t.member}</span>
        </li>
        <li>
          <strong>{rows.reduce((total, row) => total + row.sold, 0)}</strong>
          <span>{t.sold}</span>
        </li>
        <li>
          <strong>{rows.reduce((total, row) => total + row.on_hand, 0)}</strong>
          <span>{t.onShelf}</span>
        </li>
        <li>
          <strong>{money(balance.owed, locale)}</strong>
          <span>{t.fees}</span>
        </li>
      </ul>
      <h2>{t.member}</h2>
      <Figures head={[t.member, t.onShelf, t.sold, t.discrepancy]}>
        {cluster.members.map((member) => (
          <tr>
            <td>{member.producer_name}</td>
            <td class="n">{member.stock.rows.reduce((n, row) => n + row.on_hand, 0)}</td>
            <td class="n">{member.stock.rows.reduce((n, row) => n + row.sold, 0)}</td>
            <td class="n">{member.stock.rows.reduce((n, row) => n + row.discrepancy, 0)}</td>
          </tr>
        ))}
      </Figures>
      <h2>{t.health}</h2>
      <Figures head={[t.venue, t.sellThrough, t.aging, t.discrepancy, t.disputes, t.onTime]}>
        {[...venues].map(([venueId, lines]) => {
          const sold = lines.reduce((n, row) => n + row.sold, 0)
          const onHand = lines.reduce((n, row) => n + row.on_hand, 0)
          const aging = lines
            .filter((row) => (row.oldest_lot_age_days ?? 0) > agingDays)
            .reduce((n, row) => n + row.on_hand, 0)
          return (
            <tr>
              <td>{lines[0]?.venue_name}</td>
              <td class="n">
                {sold + onHand === 0 ? '–' : `${Math.round((sold / (sold + onHand)) * 100)}%`}
              </td>
              <td class="n">{aging}</td>
              <td class="n">{lines.reduce((n, row) => n + row.discrepancy, 0)}</td>
              <td class="n">{openAt(venueId)}</td>
              <td class="n">{onTimeAt(venueId)}</td>
            </tr>
          )
        })}
      </Figures>
    </>,
  )
}

export const cooperativeScreens: Screen[] = [show('/', ['cluster'], home)]
