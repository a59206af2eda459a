/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { MitraError } from '@mitra/core'
import { isMitraApiError, type Schemas } from '@mitra/sdk'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { date, type Locale } from '../format.js'
import { type FieldErrors, fieldErrors } from '../forms.js'
import { at, Csrf, FieldError, invalid, page, type View } from '../layout.js'
import type { PartyContext } from '../routes.js'
import { TermsComparison } from '../words/compare.js'
import type { Names } from '../words/names.js'
import { TermsList, termSentences, termWords } from '../words/terms.js'
import { withoutIds } from '../words/text.js'
import { type AgreementStrings, agreementStrings } from './agreements-strings.js'
import { act, type Screen, show } from './screen.js'
import { noticeOf, partyNames } from './shared.js'

/*
 * Agreements between a producer group and a venue, read and decided on a phone: every
 * agreement with its partner's name and state; one agreement's terms in plain words, its
 * versions, what the last change changes; accepting, rejecting or withdrawing a proposal;
 * proposing a change to the few terms changed most often; ending it. Every form works
 * without JavaScript and posts, then redirects back to what it changed.
 */

type Agreement = Schemas['AgreementWithVersions']
type Version = Agreement['versions'][number]
type Terms = Schemas['ConsignmentTerms']
type Side = 'producer' | 'venue'

const traders = ['producer', 'venue'] as const
const cycles = ['weekly', 'twice_monthly', 'monthly'] as const

/** The fields of the short form, named as the form names them. */
const shortFields = ['commission', 'settlement_cycle', 'consignment_days'] as const

/**
 * What a new agreement proposes besides the short form: the schema's defaults, the goods
 * going back to the maker when their time is up, and damage or loss borne by the venue that
 * holds them. Shown in words on the form, so nobody proposes a term they have not read.
 */
const startingTerms: Terms = {
  currency: 'IDR',
  commission: { kind: 'percent', bps: 2_000 },
  cooperative_fee_bps: 0,
  cooperative_id: null,
  platform_fee_bps: 0,
  payment_fee_bearer: 'shared',
  markdown_bearer: 'shared',
  settlement_cycle: 'monthly',
  consignment_days: 90,
  grace_days: 0,
  on_expiry: 'return',
  markdown_schedule: [],
  extension_days: null,
  damage_liability: 'venue',
  loss_liability: 'venue',
  venue_may_change_price: false,
  minimum_payout: { amount: 0, currency: 'IDR' },
  remittance: 'platform',
  remittance_due_days: 7,
}

const stringsOf = (v: View): AgreementStrings => agreementStrings[v.locale]
const sideOf = (v: View): Side => (v.acting?.kind === 'producer' ? 'producer' : 'venue')
const isOwner = (v: View) => v.acting?.role === 'owner'
const partnerOf = (agreement: Pick<Agreement, 'producer_id' | 'venue_id'>, side: Side) =>
  side === 'producer' ? agreement.venue_id : agreement.producer_id
const acceptedAt = (version: Version, side: Side) =>
  side === 'producer' ? version.producer_accepted_at : version.venue_accepted_at
const byNumber = (versions: readonly Version[]) =>
  [...versions].sort((a, b) => a.version - b.version)

/** The version awaiting a decision (a draft or a proposal): only ever the latest. */
function openVersion(versions: readonly Version[]): Version | undefined {
  const latest = versions.at(-1)
  return latest && (latest.state === 'draft' || latest.state === 'proposed') ? latest : undefined
}

/** Agreement ids only: anything else is not a page here (and never reaches the API). */
function agreementId(params: Record<string, string>): string {
  const id = params.id ?? ''
  if (!/^agr_[0-9a-z]+$/.test(id)) throw new MitraError('not_found', 'No such agreement')
  return id
}

/** A notice after a redirect: one of this screen's keys, else one the console shares. */
function noticeFor(ctx: PartyContext): string | undefined {
  const key = ctx.c.req.query('done')
  const notices = stringsOf(ctx.v).notices
  if (key !== undefined && Object.hasOwn(notices, key)) return notices[key]
  return noticeOf(ctx)
}

/** The view of a screen shown in answer to a form: its language switch points at the GET. */
const viewAt = (ctx: PartyContext, path: string): View => ({ ...ctx.v, path: at(ctx.v, path) })

// ---------------------------------------------------------------------------------------
// The short form: commission, payment cycle, consignment days

interface ShortValues {
  commission: string
  settlement_cycle: string
  consignment_days: string
  note?: string
}

/** `20`, `17,5` (id) / `17.5` (en): basis points as a person types a percentage. */
function percentText(bps: number, locale: Locale): string {
  const text = String(bps / 100)
  return locale === 'id' ? text.replace('.', ',') : text
}

function valuesOf(terms: Terms, locale: Locale): ShortValues {
  return {
    commission:
      terms.commission.kind === 'percent' ? percentText(terms.commission.bps, locale) : '',
    settlement_cycle: terms.settlement_cycle,
    consignment_days: String(terms.consignment_days),
  }
}

/**
 * The terms a short form asks for: `base` with the three fields it names replaced (a blank
 * commission keeps tiered rates as they are). What cannot be read as a number is marked
 * here; whether a number is allowed is the API's to say.
 */
function readShortForm(
  form: Record<string, string>,
  base: Terms,
  v: View,
): { terms?: Terms; errors: FieldErrors } {
  const s = stringsOf(v)
  const errors: FieldErrors = {}
  const raw = (form.commission ?? '').trim().replace(/\s*%$/, '')
  let commission: Terms['commission'] | undefined
  if (raw === '') {
    if (base.commission.kind === 'tiered') commission = base.commission
    else errors.commission = v.t.required
  } else if (/^-?\d+([.,]\d+)?$/.test(raw)) {
    commission = { kind: 'percent', bps: Math.round(Number(raw.replace(',', '.')) * 100) }
  } else {
    errors.commission = s.notANumber
  }
  const cycle = cycles.find((c) => c === form.settlement_cycle)
  if (cycle === undefined) errors.settlement_cycle = v.t.required
  const daysText = (form.consignment_days ?? '').trim()
  if (daysText === '') errors.consignment_days = v.t.required
  else if (!/^-?\d+$/.test(daysText)) errors.consignment_days = s.notWholeDays
  if (Object.keys(errors).length > 0 || commission === undefined || cycle === undefined) {
    return { errors }
  }
  return {
    terms: {
      ...base,
      commission,
      settlement_cycle: cycle,
      consignment_days: Number(daysText),
    },
    errors,
  }
}

/** True when the short form changed none of its three terms. */
function unchanged(before: Terms, after: Terms): boolean {
  const same = (a: Terms['commission'], b: Terms['commission']) =>
    a.kind === 'percent' && b.kind === 'percent'
      ? a.bps === b.bps
      : JSON.stringify(a) === JSON.stringify(b)
  return (
    same(before.commission, after.commission) &&
    before.settlement_cycle === after.settlement_cycle &&
    before.consignment_days === after.consignment_days
  )
}

function ShortFields({
  v,
  values,
  errors,
  tiered,
}: {
  v: View
  values: ShortValues
  errors: FieldErrors
  tiered: boolean
}) {
  const s = stringsOf(v)
  return (
    <>
      <div>
        <label for="commission">
          {s.commission} <span class="hint">{tiered ? s.commissionTiered : s.commissionHint}</span>
        </label>
        <input
          id="commission"
          name="commission"
          inputmode="decimal"
          autocomplete="off"
          value={values.commission}
          {...invalid('commission', errors.commission)}
        />
        <FieldError id="commission" error={errors.commission} />
      </div>
      <div>
        <label for="settlement_cycle">{s.cycle}</label>
        <select
          id="settlement_cycle"
          name="settlement_cycle"
          {...invalid('settlement_cycle', errors.settlement_cycle)}
        >
          {cycles.map((cycle) => (
            <option value={cycle} selected={values.settlement_cycle === cycle}>
              {s.cycles[cycle]}
            </option>
          ))}
        </select>
        <FieldError id="settlement_cycle" error={errors.settlement_cycle} />
      </div>
      <div>
        <label for="consignment_days">
          {s.days} <span class="hint">{s.daysHint}</span>
        </label>
        <input
          id="consignment_days"
          name="consignment_days"
          type="number"
          inputmode="numeric"
          min="1"
          max="730"
          value={values.consignment_days}
          {...invalid('consignment_days', errors.consignment_days)}
        />
        <FieldError id="consignment_days" error={errors.consignment_days} />
      </div>
      <div>
        <label for="note">{s.amendNote}</label>
        <textarea id="note" name="note" rows={2} {...invalid('note', errors.note)}>
          {values.note ?? ''}
        </textarea>
        <FieldError id="note" error={errors.note} />
      </div>
    </>
  )
}

// ---------------------------------------------------------------------------------------
// Refusals in the person's language

interface Refusal {
  status: ContentfulStatusCode
  fields: FieldErrors
  problem: string
}

/** The form's field for a path the API names, or undefined when the form has none. */
function fieldOf(path: string): string | undefined {
  if (path === 'terms.commission' || path.startsWith('terms.commission.')) return 'commission'
  if (path === 'terms.settlement_cycle') return 'settlement_cycle'
  if (path === 'terms.consignment_days') return 'consignment_days'
  if (['counterparty_id', 'note', 'reason'].includes(path)) return path
  return undefined
}

/** Plainer words than the API's for the refusals these forms meet most. */
function plainer(field: string, code: string | undefined, s: AgreementStrings) {
  if (field === 'commission') {
    if (code === 'too_big') return s.commissionTooBig
    if (code === 'too_small') return s.commissionNegative
    if (code === 'custom') return s.feesOver100
  }
  if (field === 'consignment_days') {
    if (code === 'too_big') return s.daysTooMany
    if (code === 'too_small') return s.daysTooFew
  }
  return undefined
}

/**
 * An API refusal as field errors and a sentence for the whole form, in the person's
 * language. A missing agreement (404) and anything that is not a refusal are thrown on.
 */
function refusalOf(error: unknown, v: View): Refusal {
  if (isMitraApiError(error) && error.status === 404) throw error
  const s = stringsOf(v)
  const translated = fieldErrors(error, v.t) ?? {}
  const { status, code, errors } = error as {
    status: number
    code: string
    errors: readonly { path: string; code?: string; message: string }[]
  }
  const fields: FieldErrors = {}
  const elsewhere: string[] = []
  for (const e of errors) {
    const field = fieldOf(e.path)
    const text = (field && plainer(field, e.code, s)) ?? translated[e.path] ?? e.message
    if (field !== undefined) fields[field] ??= text
    else elsewhere.push(s.problems[e.code ?? ''] ?? s.problems[code] ?? s.refused)
  }
  const problem =
    elsewhere.length > 0
      ? [...new Set(elsewhere)].join(' ')
      : Object.keys(fields).length > 0
        ? v.t.fixFields
        : (s.problems[code] ?? s.refused)
  return { status: status === 409 || status === 403 ? 409 : 422, fields, problem }
}

// ---------------------------------------------------------------------------------------
// The list

async function list(ctx: PartyContext) {
  const { v, admin } = ctx
  const s = stringsOf(v)
  const side = sideOf(v)
  const all = await admin.agreements.list({ limit: 100 }).toArray()
  const names = await partyNames(ctx, [...new Set(all.map((a) => partnerOf(a, side)))])
  // Only those with a version awaiting a decision need their versions read.
  const details = await Promise.all(
    all.map((a) =>
      a.status === 'draft' ||
      a.status === 'proposed' ||
      (a.status === 'active' && a.latest_version !== a.active_version)
        ? admin.agreements.get(a.id)
        : null,
    ),
  )
  const roles = termWords[v.locale]
  const rows = all.map((agreement, index) => {
    const other =
      names.get(partnerOf(agreement, side)) ?? (side === 'producer' ? roles.venue : roles.producer)
    const open = openVersion(byNumber(details[index]?.versions ?? []))
    let waiting: string | undefined
    let forYou = false
    if (open?.state === 'proposed' && acceptedAt(open, side) === null) {
      waiting = s.waitingForYou(open.version)
      forYou = true
    } else if (open?.state === 'proposed') {
      waiting = s.waitingForThem(open.version, other)
    } else if (open?.state === 'draft') {
      waiting = s.draftUnsent(open.version)
    }
    return { agreement, other, waiting, forYou }
  })
  // What awaits this party first; otherwise in the API's order.
  rows.sort((a, b) => Number(b.forYou) - Number(a.forYou))
  return page(
    v,
    s.title,
    <>
      <p class="muted">{s.lead}</p>
      {isOwner(v) ? (
        <p>
          <a class="button" href={at(v, '/agreements/new')}>
            {s.newLink}
          </a>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p>{s.none}</p>
      ) : (
        <ul class="parties">
          {rows.map(({ agreement, other, waiting }) => (
            <li>
              <a href={at(v, `/agreements/${agreement.id}`)}>
                <strong>{other}</strong>
                <br />
                <span class={`status ${agreement.status === 'active' ? 'ok' : 'warn'}`}>
                  {s.status[agreement.status] ?? agreement.status}
                </span>{' '}
                ·{' '}
                {agreement.active_version === null
                  ? s.latestVersion(agreement.latest_version)
                  : agreement.status === 'active'
                    ? s.versionInForce(agreement.active_version)
                    : s.lastInForce(agreement.active_version)}
                {waiting ? (
                  <>
                    <br />
                    <strong>{waiting}</strong>
                  </>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
      )}
    </>,
    { notice: noticeFor(ctx) },
  )
}

// ---------------------------------------------------------------------------------------
// One agreement

/** What went wrong with a form posted on the agreement's page, shown on that form. */
interface Trouble {
  form?: 'amend' | 'end'
  fields?: FieldErrors
  /** A sentence for the whole form (or, without `form`, for the page). */
  problem?: string
  posted?: Record<string, string>
}

async function detail(
  ctx: PartyContext,
  id: string,
  trouble: Trouble = {},
  notice?: string,
): Promise<string> {
  const v = viewAt(ctx, `/agreements/${id}`)
  const s = stringsOf(v)
  const { locale } = v
  const agreement = await ctx.admin.agreements.get(id)
  const versions = byNumber(agreement.versions)
  const side = sideOf(v)
  const cooperatives = versions.flatMap((x) =>
    x.terms.cooperative_id ? [x.terms.cooperative_id] : [],
  )
  const names = await partyNames(ctx, [
    ...new Set([agreement.producer_id, agreement.venue_id, ...cooperatives]),
  ])
  const roles = termWords[locale]
  const nameOf = (partyId: string) =>
    names.get(partyId) ??
    (partyId === agreement.producer_id
      ? roles.producer
      : partyId === agreement.venue_id
        ? roles.venue
        : s.someone)
  const parties = Object.fromEntries(names)
  const words: Names = { parties, agreement }
  const clean = (text: string) => withoutIds(text, parties, s.someone)
  const other = nameOf(partnerOf(agreement, side))
  const producer = nameOf(agreement.producer_id)
  const venue = nameOf(agreement.venue_id)
  const active = agreement.status === 'active'
  // The version signed last: in force while the agreement is, its last terms once ended.
  const signed =
    agreement.active_version === null
      ? undefined
      : versions.find((x) => x.version === agreement.active_version)
  const inForce = active ? signed : undefined
  const open = openVersion(versions)
  const shown = signed ?? versions.at(-1)
  const owner = isOwner(v)
  const closed = ['terminated', 'withdrawn', 'rejected'].includes(agreement.status)
  const mine = (version: Version) => version.author_id === v.acting?.id
  const before = versions.at(-2)
  const after = versions.at(-1)
  const fields = trouble.fields ?? {}
  const posted = trouble.posted ?? {}
  const amendValues =
    trouble.form === 'amend'
      ? {
          commission: posted.commission ?? '',
          settlement_cycle: posted.settlement_cycle ?? '',
          consignment_days: posted.consignment_days ?? '',
          note: posted.note ?? '',
        }
      : inForce
        ? valuesOf(inForce.terms, locale)
        : undefined
  const formProblem = (form: Trouble['form']) =>
    trouble.form === form && trouble.problem ? (
      <p class="problem" role="alert">
        {trouble.problem}
      </p>
    ) : null

  return page(
    v,
    s.with(other),
    <>
      {trouble.form === undefined && trouble.problem ? (
        <p class="problem" role="alert">
          {trouble.problem}
        </p>
      ) : null}
      <p>
        <span class={`status ${active ? 'ok' : 'warn'}`}>
          {s.status[agreement.status] ?? agreement.status}
        </span>{' '}
        ·{' '}
        {inForce
          ? s.versionInForce(inForce.version)
          : signed
            ? s.lastInForce(signed.version)
            : s.noVersionInForce}
      </p>
      {agreement.status === 'terminated' ? (
        <div class="card">
          <p>
            {agreement.terminated_at ? s.endedOn(date(agreement.terminated_at, locale)) : null}
            {agreement.termination_reason
              ? ` · ${s.reasonWas(clean(agreement.termination_reason))}`
              : null}
          </p>
          <p>{s.ended(producer, venue)}</p>
        </div>
      ) : null}

      {open ? (
        <section aria-labelledby="decision">
          <h2 id="decision">
            {s.decision}: {s.version(open.version)}
          </h2>
          {open.proposed_at ? (
            <p>{s.proposedBy(nameOf(open.author_id), date(open.proposed_at, locale))}</p>
          ) : null}
          <p>
            {open.state === 'proposed'
              ? acceptedAt(open, side) === null
                ? s.youMayAccept(open.version)
                : s.youAccepted(open.version, other)
              : mine(open)
                ? s.draftWaiting(open.version)
                : s.draftOfOther(open.version, other)}
          </p>
          {open.note ? (
            <p>
              {s.note}: {clean(open.note)}
            </p>
          ) : null}
          {owner ? (
            <div class="row">
              {open.state === 'proposed' && acceptedAt(open, side) === null ? (
                <form method="post" action={at(v, `/agreements/${agreement.id}/accept`)}>
                  <Csrf v={v} />
                  <input type="hidden" name="version" value={String(open.version)} />
                  <input type="hidden" name="terms_hash" value={open.terms_hash} />
                  <button type="submit">{s.accept(open.version)}</button>
                </form>
              ) : null}
              {open.state === 'draft' && mine(open) ? (
                <form method="post" action={at(v, `/agreements/${agreement.id}/send`)}>
                  <Csrf v={v} />
                  <button type="submit">{s.send(open.version)}</button>
                </form>
              ) : null}
              {open.state === 'proposed' && !mine(open) ? (
                <form method="post" action={at(v, `/agreements/${agreement.id}/reject`)}>
                  <Csrf v={v} />
                  <input type="hidden" name="version" value={String(open.version)} />
                  <button type="submit" class="quiet">
                    {s.reject(open.version)}
                  </button>
                </form>
              ) : null}
              {mine(open) ? (
                <form method="post" action={at(v, `/agreements/${agreement.id}/withdraw`)}>
                  <Csrf v={v} />
                  <button type="submit" class="quiet">
                    {s.withdraw(open.version)}
                  </button>
                </form>
              ) : null}
            </div>
          ) : (
            <p class="muted">{s.ownersOnly}</p>
          )}
          {active && open.state === 'proposed' && !mine(open) ? (
            <p class="muted">{s.rejectHint}</p>
          ) : null}
        </section>
      ) : null}

      {before && after ? (
        <section aria-labelledby="changes">
          <h2 id="changes">{s.changes}</h2>
          <div class="table" tabindex={0}>
            <TermsComparison
              before={{ version: before.version, terms: before.terms }}
              after={{ version: after.version, terms: after.terms }}
              locale={locale}
              names={words}
              onlyChanged
            />
          </div>
        </section>
      ) : null}

      {shown ? (
        <section aria-labelledby="terms">
          <h2 id="terms">
            {inForce
              ? s.termsInForce(inForce.version)
              : signed
                ? s.termsUntilEnd(signed.version)
                : s.termsLatest(shown.version)}
          </h2>
          <TermsList terms={shown.terms} locale={locale} names={words} />
          {after && after !== shown ? (
            <details>
              <summary>{s.allTermsOf(after.version)}</summary>
              <TermsList terms={after.terms} locale={locale} names={words} />
            </details>
          ) : null}
        </section>
      ) : null}

      {owner && active && inForce && amendValues ? (
        <section aria-labelledby="amend">
          <h2 id="amend">{s.amendTitle}</h2>
          {open ? (
            <p>{s.openAmendment}</p>
          ) : (
            <form
              method="post"
              action={at(v, `/agreements/${agreement.id}/amend`)}
              class="stack"
              novalidate
            >
              <Csrf v={v} />
              <p class="muted">{s.shortLead}</p>
              {formProblem('amend')}
              <ShortFields
                v={v}
                values={amendValues}
                errors={trouble.form === 'amend' ? fields : {}}
                tiered={inForce.terms.commission.kind === 'tiered'}
              />
              <p class="muted">{s.youSign(other)}</p>
              <button type="submit">{s.amendSubmit}</button>
            </form>
          )}
        </section>
      ) : null}

      {owner && active ? (
        <section aria-labelledby="end">
          <h2 id="end">{s.endTitle}</h2>
          <p>{s.endLead(producer, venue)}</p>
          {open ? <p>{s.endPending}</p> : null}
          <form
            method="post"
            action={at(v, `/agreements/${agreement.id}/end`)}
            class="stack"
            novalidate
          >
            <Csrf v={v} />
            {formProblem('end')}
            <div>
              <label for="reason">{s.reason}</label>
              <textarea
                id="reason"
                name="reason"
                rows={2}
                required
                {...invalid('reason', trouble.form === 'end' ? fields.reason : undefined)}
              >
                {trouble.form === 'end' ? (posted.reason ?? '') : ''}
              </textarea>
              <FieldError id="reason" error={trouble.form === 'end' ? fields.reason : undefined} />
            </div>
            <div>
              <label class="choice">
                <input
                  type="checkbox"
                  id="confirm_end"
                  name="confirm_end"
                  value="yes"
                  {...invalid(
                    'confirm_end',
                    trouble.form === 'end' ? fields.confirm_end : undefined,
                  )}
                />
                {s.confirmEnd}
              </label>
              <FieldError
                id="confirm_end"
                error={trouble.form === 'end' ? fields.confirm_end : undefined}
              />
            </div>
            <button type="submit" class="quiet">
              {s.endSubmit}
            </button>
          </form>
        </section>
      ) : null}

      {!owner && !closed && !open ? <p class="muted">{s.ownersOnly}</p> : null}

      <section aria-labelledby="history">
        <h2 id="history">{s.history}</h2>
        {[...versions].reverse().map((version) => {
          const accepted = (['producer', 'venue'] as const).flatMap((who) => {
            const when = acceptedAt(version, who)
            const name = who === 'producer' ? producer : venue
            if (when !== null) return [s.acceptedOn(name, date(when, locale))]
            return version.state === 'proposed' ? [s.notAcceptedBy(name)] : []
          })
          return (
            <div class="card">
              <h3>
                {s.version(version.version)}{' '}
                <span
                  class={`status ${version.state === 'accepted' && active ? 'ok' : version.state === 'proposed' || version.state === 'draft' ? 'warn' : ''}`}
                >
                  {version.state === 'accepted' && !active
                    ? s.acceptedUntilEnd
                    : (s.versionState[version.state] ?? version.state)}
                </span>
              </h3>
              <ul>
                <li>
                  {version.proposed_at
                    ? s.proposedBy(nameOf(version.author_id), date(version.proposed_at, locale))
                    : s.draftedBy(nameOf(version.author_id))}
                </li>
                {accepted.map((line) => (
                  <li>{line}</li>
                ))}
                {version.effective_at ? (
                  <li>{s.effective(date(version.effective_at, locale))}</li>
                ) : null}
                {version.note ? (
                  <li>
                    {s.note}: {clean(version.note)}
                  </li>
                ) : null}
              </ul>
            </div>
          )
        })}
      </section>
      <p>
        <a href={at(v, '/agreements')}>{s.backToList}</a>
      </p>
    </>,
    { notice },
  )
}

async function agreementPage(ctx: PartyContext, params: Record<string, string>) {
  return ctx.c.html(await detail(ctx, agreementId(params), {}, noticeFor(ctx)))
}

/**
 * After a draft exists: send it, then accept it for the proposer (the form said so). When a
 * step fails, what was saved stays and the page says what is left to do.
 */
async function sendAndAccept(ctx: PartyContext, id: string, version: number) {
  const s = stringsOf(ctx.v)
  let sent: Agreement
  try {
    sent = await ctx.admin.agreements.send(id)
  } catch (error) {
    return partly(ctx, id, s.draftNotSent(version), error)
  }
  const proposed = sent.versions.find((x) => x.version === version)
  try {
    await ctx.admin.agreements.accept(id, {
      version,
      terms_hash: proposed?.terms_hash ?? '',
    })
  } catch (error) {
    return partly(ctx, id, s.sentNotAccepted(version), error)
  }
  return ctx.back(`/agreements/${id}`, 'proposed')
}

/** Part of a proposal went through: the agreement's page, saying what did not. */
async function partly(ctx: PartyContext, id: string, problem: string, error: unknown) {
  const refused = isMitraApiError(error) && error.status < 500
  if (!refused) console.error('console: agreements:', error)
  return ctx.c.html(await detail(ctx, id, { problem }), refused ? 409 : 500)
}

async function amend(ctx: PartyContext, params: Record<string, string>) {
  const id = agreementId(params)
  const { v } = ctx
  const s = stringsOf(v)
  const form = await ctx.form()
  const agreement = await ctx.admin.agreements.get(id)
  const inForce = agreement.versions.find((x) => x.version === agreement.active_version)
  if (agreement.status !== 'active' || inForce === undefined) {
    return ctx.c.html(await detail(ctx, id, { problem: s.problems.agreement_not_active }), 409)
  }
  const again = (trouble: Omit<Trouble, 'form' | 'posted'>, status: ContentfulStatusCode) =>
    detail(ctx, id, { ...trouble, form: 'amend', posted: form }).then((html) =>
      ctx.c.html(html, status),
    )
  const { terms, errors } = readShortForm(form, inForce.terms, v)
  if (terms === undefined) return again({ fields: errors, problem: v.t.fixFields }, 422)
  if (unchanged(inForce.terms, terms)) return again({ problem: s.nothingChanged }, 422)
  const note = (form.note ?? '').trim()
  let drafted: Agreement
  try {
    drafted = await ctx.admin.agreements.amend(id, { terms, ...(note ? { note } : {}) })
  } catch (error) {
    const refusal = refusalOf(error, v)
    return again({ fields: refusal.fields, problem: refusal.problem }, refusal.status)
  }
  return sendAndAccept(ctx, id, drafted.latest_version)
}

async function end(ctx: PartyContext, params: Record<string, string>) {
  const id = agreementId(params)
  const { v } = ctx
  const s = stringsOf(v)
  const form = await ctx.form()
  const reason = (form.reason ?? '').trim()
  const errors: FieldErrors = {}
  if (reason === '') errors.reason = v.t.required
  if (form.confirm_end !== 'yes') errors.confirm_end = s.mustConfirm
  const again = (trouble: Omit<Trouble, 'form' | 'posted'>, status: ContentfulStatusCode) =>
    detail(ctx, id, { ...trouble, form: 'end', posted: form }).then((html) =>
      ctx.c.html(html, status),
    )
  if (Object.keys(errors).length > 0) return again({ fields: errors, problem: v.t.fixFields }, 422)
  try {
    await ctx.admin.agreements.terminate(id, { reason })
  } catch (error) {
    const refusal = refusalOf(error, v)
    return again({ fields: refusal.fields, problem: refusal.problem }, refusal.status)
  }
  return ctx.back(`/agreements/${id}`, 'ended')
}

/** Accept, reject, withdraw or send the version awaiting a decision, as read on the page. */
function decide(action: 'accept' | 'reject' | 'withdraw' | 'send') {
  return async (ctx: PartyContext, params: Record<string, string>) => {
    const id = agreementId(params)
    const form = await ctx.form()
    const version = Number(form.version)
    const read = Number.isInteger(version) && version > 0
    const back = (notice: string) => ctx.back(`/agreements/${id}`, notice)
    try {
      switch (action) {
        case 'accept': {
          const after = await ctx.admin.agreements.accept(id, {
            version: read ? version : 0,
            terms_hash: form.terms_hash ?? '',
          })
          return back(after.active_version === version ? 'inForce' : 'accepted')
        }
        case 'reject':
          await ctx.admin.agreements.reject(id, read ? { version } : {})
          return back('rejected')
        case 'withdraw':
          await ctx.admin.agreements.withdraw(id)
          return back('withdrawn')
        case 'send':
          await ctx.admin.agreements.send(id)
          return back('sent')
      }
    } catch (error) {
      const refusal = refusalOf(error, ctx.v)
      return ctx.c.html(await detail(ctx, id, { problem: refusal.problem }), 409)
    }
  }
}

// ---------------------------------------------------------------------------------------
// A new agreement

/** Who this party may propose to: venues for a producer, makers for a venue. */
async function partners(ctx: PartyContext): Promise<{ id: string; name: string }[]> {
  const found =
    sideOf(ctx.v) === 'producer'
      ? (await ctx.store.venues.list({ limit: 100 }).toArray()).map((x) => ({
          id: x.id,
          name: x.name,
        }))
      : (await ctx.store.brands.list({ limit: 100 }).toArray()).map((x) => ({
          id: x.producer_id,
          name: x.name,
        }))
  const unique = new Map(found.map((x) => [x.id, x]))
  unique.delete(ctx.v.acting?.id ?? '')
  return [...unique.values()].sort((a, b) => a.name.localeCompare(b.name))
}

async function newForm(ctx: PartyContext, trouble: Trouble = {}) {
  const v = viewAt(ctx, '/agreements/new')
  const s = stringsOf(v)
  const { locale } = v
  const side = sideOf(v)
  const [existing, choices] = await Promise.all([
    ctx.admin.agreements.list({ limit: 100 }).toArray(),
    partners(ctx),
  ])
  // An agreement in force or awaiting a decision is changed, not proposed again.
  const taken = new Set(
    existing
      .filter((a) => ['draft', 'proposed', 'active'].includes(a.status))
      .map((a) => partnerOf(a, side)),
  )
  const free = choices.filter((choice) => !taken.has(choice.id))
  const fields = trouble.fields ?? {}
  const posted = trouble.posted
  const values = posted
    ? {
        commission: posted.commission ?? '',
        settlement_cycle: posted.settlement_cycle ?? '',
        consignment_days: posted.consignment_days ?? '',
        note: posted.note ?? '',
      }
    : valuesOf(startingTerms, locale)
  const others = termSentences(startingTerms, locale).filter(
    (sentence) => !(shortFields as readonly string[]).includes(sentence.field),
  )
  const wanted = side === 'producer' ? 'venue' : 'producer'
  return page(
    v,
    s.newTitle,
    <>
      {free.length === 0 ? (
        <p>{s.noPartners}</p>
      ) : (
        <form method="post" action={at(v, '/agreements')} class="stack" novalidate>
          <Csrf v={v} />
          <p class="muted">{s.newLead}</p>
          {trouble.problem ? (
            <p class="problem" role="alert">
              {trouble.problem}
            </p>
          ) : null}
          <div>
            <label for="counterparty_id">
              {s.partner(wanted)}{' '}
              {taken.size > 0 ? <span class="hint">{s.partnersLeftOut}</span> : null}
            </label>
            <select
              id="counterparty_id"
              name="counterparty_id"
              required
              {...invalid('counterparty_id', fields.counterparty_id)}
            >
              <option value="">{s.choosePartner}</option>
              {free.map((choice) => (
                <option value={choice.id} selected={posted?.counterparty_id === choice.id}>
                  {choice.name}
                </option>
              ))}
            </select>
            <FieldError id="counterparty_id" error={fields.counterparty_id} />
          </div>
          <ShortFields v={v} values={values} errors={fields} tiered={false} />
          <section aria-labelledby="others">
            <h2 id="others">{s.otherTerms}</h2>
            <ul class="terms">
              {others.map((sentence) => (
                <li data-term={sentence.field}>{sentence.text}</li>
              ))}
            </ul>
          </section>
          <p class="muted">{s.youSignNew}</p>
          <button type="submit">{s.proposeSubmit}</button>
        </form>
      )}
      <p>
        <a href={at(v, '/agreements')}>{s.backToList}</a>
      </p>
    </>,
  )
}

async function create(ctx: PartyContext) {
  const { v } = ctx
  const form = await ctx.form()
  const again = async (trouble: Omit<Trouble, 'posted'>, status: ContentfulStatusCode) =>
    ctx.c.html(await newForm(ctx, { ...trouble, posted: form }), status)
  const { terms, errors } = readShortForm(form, startingTerms, v)
  const counterparty = (form.counterparty_id ?? '').trim()
  if (counterparty === '') errors.counterparty_id = v.t.required
  if (terms === undefined || counterparty === '') {
    return again({ fields: errors, problem: v.t.fixFields }, 422)
  }
  const note = (form.note ?? '').trim()
  let drafted: Agreement
  try {
    drafted = await ctx.admin.agreements.create({
      counterparty_id: counterparty,
      terms,
      ...(note ? { note } : {}),
    })
  } catch (error) {
    // A partner that is not there is a refusal of the choice, not a missing page.
    if (isMitraApiError(error) && error.status === 404) {
      return again(
        { fields: { counterparty_id: stringsOf(v).partnerGone }, problem: v.t.fixFields },
        422,
      )
    }
    const refusal = refusalOf(error, v)
    return again({ fields: refusal.fields, problem: refusal.problem }, refusal.status)
  }
  return sendAndAccept(ctx, drafted.id, drafted.latest_version)
}

export const agreementScreens: Screen[] = [
  show('/agreements', traders, list),
  show('/agreements/new', traders, (ctx) => newForm(ctx)),
  act('/agreements', traders, create),
  { method: 'GET', path: '/agreements/:id', kinds: traders, run: agreementPage },
  act('/agreements/:id/accept', traders, decide('accept')),
  act('/agreements/:id/reject', traders, decide('reject')),
  act('/agreements/:id/withdraw', traders, decide('withdraw')),
  act('/agreements/:id/send', traders, decide('send')),
  act('/agreements/:id/amend', traders, amend),
  act('/agreements/:id/end', traders, end),
]
