import {
  type AgreementVersion,
  type ConsignmentTerms,
  getAgreementVersions,
  versionKey,
} from '@mitra/consignment'
import { MitraError, notFound } from '@mitra/core'
import { type Executor, parties } from '@mitra/db'
import { asc, eq } from 'drizzle-orm'
import { type ConsignmentParties, policyFromConsignmentTerms, type SplitPolicy } from '../policy.js'

/** Whether a producer group is VAT-registered (PKP), and its PPN rate if not the default. */
export interface VatStatus {
  registered: boolean
  bps?: number
}

export interface ConsignmentPolicyOptions {
  /** VAT status by producer id; a producer not listed is not VAT-registered. */
  producerVat?: Readonly<Record<string, VatStatus>>
}

/**
 * The platform operator: the one party of kind `platform`, or `null` when there is none.
 * More than one is a 409 `platform_unavailable` (whose fee would it be?).
 */
export async function platformParty(db: Executor): Promise<string | null> {
  const rows = await db
    .select({ id: parties.id })
    .from(parties)
    .where(eq(parties.kind, 'platform'))
    .orderBy(asc(parties.id))
    .limit(2)
  if (rows.length > 1) {
    throw new MitraError(
      'platform_unavailable',
      'More than one party is of kind platform; the platform fee has no single recipient',
    )
  }
  return rows[0]?.id ?? null
}

/**
 * The policy id of an agreement: `pol_` and the agreement id's ULID, so a journal line's
 * `policy_id` and `policy_version` name the agreement version it was split under.
 */
export function consignmentPolicyId(agreementId: string): string {
  return `pol_${agreementId.slice(agreementId.indexOf('_') + 1)}`
}

/** What a sale line needs to be split: the policy and the terms it came from. */
export interface AgreementPolicy {
  agreementId: string
  version: number
  terms: ConsignmentTerms
  policy: SplitPolicy
}

/**
 * The split policy of one agreement version for one producer and venue: commission, fees
 * and bearers from the version's terms, the platform fee only when there is a platform
 * party, PPN only for a VAT-registered producer. Without a platform party, a payment fee
 * (in-venue QRIS) is recorded against the venue, which paid it to its provider.
 */
export function policyForTerms(
  agreement: { agreementId: string; version: number; terms: ConsignmentTerms },
  parties: { producerId: string; venueId: string; platformId: string | null },
  options: ConsignmentPolicyOptions = {},
): SplitPolicy {
  const vat = options.producerVat?.[parties.producerId]
  const who: ConsignmentParties = {
    producerId: parties.producerId,
    venueId: parties.venueId,
    platformId: parties.platformId ?? parties.venueId,
    producerVat: vat === undefined ? { registered: false } : vat,
  }
  const terms =
    parties.platformId === null ? { ...agreement.terms, platform_fee_bps: 0 } : agreement.terms
  return policyFromConsignmentTerms(terms, who, {
    id: consignmentPolicyId(agreement.agreementId),
    version: agreement.version,
  })
}

/**
 * Reads agreement versions once per call: the terms a sale was made under, even when the
 * agreement has since been amended (a superseded version stays readable).
 */
export class AgreementPolicies {
  readonly #cache = new Map<string, Promise<AgreementPolicy>>()

  constructor(
    private readonly db: Executor,
    private readonly platformId: string | null,
    private readonly options: ConsignmentPolicyOptions,
    /** Versions read already (`getAgreementVersions`), used before asking the database. */
    private readonly known: ReadonlyMap<string, AgreementVersion> = new Map(),
  ) {}

  /** Reads every version `lines` name that is not read yet, by one query. */
  async load(lines: readonly PolicyLine[]): Promise<void> {
    for (const line of lines) {
      const version = this.known.get(versionKey(line.agreement_id, line.agreement_version))
      if (version !== undefined && !this.#cache.has(policyKey(line))) {
        this.#cache.set(policyKey(line), Promise.resolve(this.#policyOf(line, version)))
      }
    }
    const missing = lines.filter((line) => !this.#cache.has(policyKey(line)))
    if (missing.length === 0) return
    const versions = getAgreementVersions(
      this.db,
      missing.map((line) => ({ agreementId: line.agreement_id, version: line.agreement_version })),
    )
    for (const line of missing) {
      this.#cache.set(
        policyKey(line),
        versions.then((found) => {
          const version = found.get(versionKey(line.agreement_id, line.agreement_version))
          if (version === undefined) {
            throw notFound(
              'agreement version',
              versionKey(line.agreement_id, line.agreement_version),
            )
          }
          return this.#policyOf(line, version)
        }),
      )
    }
    await Promise.all(missing.map((line) => this.#cache.get(policyKey(line))))
  }

  async get(line: PolicyLine): Promise<AgreementPolicy> {
    await this.load([line])
    return this.#cache.get(policyKey(line)) as Promise<AgreementPolicy>
  }

  #policyOf(line: PolicyLine, version: AgreementVersion): AgreementPolicy {
    const agreement = {
      agreementId: line.agreement_id,
      version: version.version,
      terms: version.terms,
    }
    return {
      ...agreement,
      policy: policyForTerms(
        agreement,
        { producerId: line.producer_id, venueId: line.venue_id, platformId: this.platformId },
        this.options,
      ),
    }
  }
}

/** A sale line as far as its policy goes: the agreement version, producer and venue. */
export interface PolicyLine {
  agreement_id: string
  agreement_version: number
  producer_id: string
  venue_id: string
}

const policyKey = (line: PolicyLine) =>
  `${line.agreement_id}@${line.agreement_version}/${line.producer_id}/${line.venue_id}`
