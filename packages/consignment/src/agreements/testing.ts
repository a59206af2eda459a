// Test fixtures for the agreement tests (not exported, not built).
import { randomBytes } from 'node:crypto'
import { createParty, type Party, type Scope } from '@mitra/catalog'
import { newId } from '@mitra/core'
import type { Executor, PartyKind } from '@mitra/db'
import type { ConsignmentTermsInput } from '../terms.js'
import { sampleTerms } from '../testing.js'
import { acceptAgreement, proposeAgreement, proposeAmendment, sendProposal } from './agreements.js'
import type { AgreementWithVersions } from './schemas.js'

export function uniqueSlug(base: string): string {
  return `${base}-${randomBytes(4).toString('hex')}`
}

/** A user id to record as the one who accepted. */
export function user(): string {
  return newId('usr')
}

export interface TestParty {
  party: Party
  owner: Scope
  staff: Scope
}

export async function party(db: Executor, kind: PartyKind, name?: string): Promise<TestParty> {
  const created = await createParty(db, {
    kind,
    name: name ?? `Test ${kind}`,
    slug: uniqueSlug(kind.replace('_', '-')),
  })
  return {
    party: created,
    owner: { partyId: created.id, role: 'owner' },
    staff: { partyId: created.id, role: 'staff' },
  }
}

/** A producer group and a venue that do not know each other yet. */
export async function pair(db: Executor): Promise<{ producer: TestParty; venue: TestParty }> {
  const producer = await party(db, 'producer', 'Batik Gemawang')
  const venue = await party(db, 'venue', 'Kafe Banaran 9')
  return { producer, venue }
}

/** Terms like `sampleTerms` with another commission rate. */
export function termsWithCommission(bps: number): ConsignmentTermsInput {
  return { ...sampleTerms, commission: { kind: 'percent', bps } }
}

/** Both sides accept the version that awaits acceptance. */
export async function acceptByBoth(
  db: Executor,
  producer: TestParty,
  venue: TestParty,
  agreement: AgreementWithVersions,
): Promise<AgreementWithVersions> {
  const open = agreement.versions.at(-1)
  if (open === undefined) throw new Error('no version')
  const input = { version: open.version, terms_hash: open.terms_hash }
  await acceptAgreement(db, producer.owner, agreement.id, { ...input, accepted_by: user() })
  return acceptAgreement(db, venue.owner, agreement.id, { ...input, accepted_by: user() })
}

/** An agreement in force between the two, proposed by the producer. */
export async function activeAgreement(
  db: Executor,
  producer: TestParty,
  venue: TestParty,
  terms: ConsignmentTermsInput = sampleTerms,
): Promise<AgreementWithVersions> {
  const draft = await proposeAgreement(db, producer.owner, {
    counterparty_id: venue.party.id,
    terms,
  })
  const sent = await sendProposal(db, producer.owner, draft.id)
  return acceptByBoth(db, producer, venue, sent)
}

/** An amendment by `by`, drafted and sent. */
export async function sentAmendment(
  db: Executor,
  by: TestParty,
  agreementId: string,
  terms: ConsignmentTermsInput,
): Promise<AgreementWithVersions> {
  await proposeAmendment(db, by.owner, agreementId, terms)
  return sendProposal(db, by.owner, agreementId)
}

export { expectMitraError } from '@mitra/db/testing'
