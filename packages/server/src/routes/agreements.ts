import type { OpenAPIHono } from '@hono/zod-openapi'
import { z } from '@hono/zod-openapi'
import {
  acceptAgreement,
  acceptAgreementSchema,
  agreementSchema,
  agreementVersionSchema,
  agreementWithVersionsSchema,
  consignmentTermsSchema,
  endConsignment,
  getAgreement,
  getAgreementVersion,
  getPartnerProfile,
  listAgreements,
  listAgreementsQuerySchema,
  listPartners,
  listPartnersQuerySchema,
  partnerProfileSchema,
  proposeAgreement,
  proposeAgreementSchema,
  proposeAmendment,
  rejectProposal,
  rejectProposalSchema,
  sendProposal,
  terminateAgreementSchema,
  updateDraft,
  upsertPartnerProfile,
  upsertPartnerProfileSchema,
  withdrawProposal,
} from '@mitra/consignment'
import { idSchema } from '@mitra/core'
import type { Database } from '@mitra/db'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { listOf, orNull } from '../openapi.js'
import { adminRoute, type Out, scopeOf } from './define.js'
import { stockReturn } from './stock.js'

const agreement = agreementWithVersionsSchema.meta({ id: 'AgreementWithVersions' })
const partner = partnerProfileSchema.meta({ id: 'PartnerProfile' })
const terms = consignmentTermsSchema.meta({ id: 'ConsignmentTermsInput' })
const params = z.object({ id: idSchema('agr') })
const tags = ['agreements']
const list = <T>(page: T) => ({ object: 'list' as const, ...page })

/** Partner directory and agreements signed by both sides (dagang umum). */
export function registerAgreementRoutes(app: OpenAPIHono<AppEnv>, db: Database): void {
  const partners = ['partners']
  adminRoute(
    app,
    {
      method: 'put',
      path: '/v1/admin/partner_profile',
      operationId: 'upsertPartnerProfile',
      summary: 'Publish what you are and what you seek in the partner directory',
      tags: partners,
      body: upsertPartnerProfileSchema.meta({ id: 'UpsertPartnerProfileRequest' }),
      response: partner,
    },
    (c, { body }) => upsertPartnerProfile(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/partners',
      operationId: 'listPartners',
      summary: 'Find partners: producers or venues, by category and regency',
      tags: partners,
      query: listPartnersQuerySchema,
      response: listOf(partner, 'PartnerList'),
    },
    async (_c, { query }) => list(await listPartners(db, query)),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/partners/{party_id}',
      operationId: 'getPartnerProfile',
      summary: 'One partner profile',
      tags: partners,
      params: z.object({ party_id: idSchema('pty') }),
      response: partner,
    },
    (c, { params }) => getPartnerProfile(db, params.party_id, scopeOf(c)),
  )

  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/agreements',
      operationId: 'proposeAgreement',
      summary: 'Draft an agreement with a partner (producer ↔ venue)',
      tags,
      body: proposeAgreementSchema.extend({ terms }).openapi('ProposeAgreementRequest'),
      response: agreement,
      status: 201,
    },
    (c, { body }) => proposeAgreement(db, scopeOf(c), body),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/agreements',
      operationId: 'listAgreements',
      summary: 'Your agreements',
      tags,
      query: listAgreementsQuerySchema,
      response: listOf(agreementSchema.meta({ id: 'Agreement' }), 'AgreementList'),
    },
    async (c, { query }) => list(await listAgreements(db, scopeOf(c), query)),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/agreements/{id}',
      operationId: 'getAgreement',
      summary: 'One agreement with every version and acceptance',
      tags,
      params,
      response: agreement,
    },
    (c, { params }) => getAgreement(db, scopeOf(c), params.id),
  )
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/agreements/{id}/versions/{version}',
      operationId: 'getAgreementVersion',
      summary: 'One version of an agreement (past sales keep the version they used)',
      tags,
      params: params.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
      response: agreementVersionSchema.meta({ id: 'AgreementVersion' }),
    },
    (c, { params }) => getAgreementVersion(db, params.id, params.version, scopeOf(c)),
  )
  adminRoute(
    app,
    {
      method: 'put',
      path: '/v1/admin/agreements/{id}/draft',
      operationId: 'updateAgreementDraft',
      summary:
        'Change the terms of the open draft (its author only; a version in force never changes)',
      tags,
      params,
      body: z.strictObject({ terms }).openapi('UpdateAgreementDraftRequest'),
      response: agreement,
    },
    (c, { params, body }) => updateDraft(db, scopeOf(c), params.id, body.terms),
  )

  const action = <B extends z.ZodType | undefined>(
    path: string,
    operationId: string,
    summary: string,
    body: B,
    run: (c: Context<AppEnv>, input: { params: { id: string }; body: Out<B> }) => Promise<unknown>,
  ) =>
    adminRoute(
      app,
      {
        method: 'post',
        path: `/v1/admin/agreements/{id}${path}`,
        operationId,
        summary,
        tags,
        params,
        body,
        response: agreement,
      },
      (c, { params, body }) => run(c, { params, body }),
    )
  action(
    '/send',
    'sendAgreement',
    'Send the open draft to the other side',
    undefined,
    (c, { params }) => sendProposal(db, scopeOf(c), params.id),
  )
  action(
    '/accept',
    'acceptAgreement',
    'Accept the exact version and terms hash you read; in force once both sides accept',
    acceptAgreementSchema.omit({ accepted_by: true }).openapi('AcceptAgreementRequest'),
    (c, { params, body }) =>
      acceptAgreement(db, scopeOf(c), params.id, {
        ...body,
        accepted_by: c.get('principal').keyId,
      }),
  )
  action(
    '/reject',
    'rejectAgreement',
    'Reject the proposal sent to you',
    rejectProposalSchema.meta({ id: 'RejectAgreementRequest' }),
    (c, { params, body }) => rejectProposal(db, scopeOf(c), params.id, body),
  )
  action(
    '/withdraw',
    'withdrawAgreement',
    'Withdraw your own proposal',
    undefined,
    (c, { params }) => withdrawProposal(db, scopeOf(c), params.id),
  )
  action(
    '/amendments',
    'proposeAgreementAmendment',
    'Draft an amendment: a new version both sides accept; the one in force stays until then',
    z
      .strictObject({ terms, note: z.string().max(2000).optional() })
      .openapi('ProposeAmendmentRequest'),
    (c, { params, body }) => proposeAmendment(db, scopeOf(c), params.id, body.terms, body.note),
  )
  adminRoute(
    app,
    {
      method: 'post',
      path: '/v1/admin/agreements/{id}/terminate',
      operationId: 'terminateAgreement',
      summary: 'End the agreement; a return is requested for all stock still at the venue',
      tags,
      params,
      body: terminateAgreementSchema.meta({ id: 'TerminateAgreementRequest' }),
      response: z
        .object({ agreement, stock_return: orNull(stockReturn) })
        .openapi('TerminatedAgreement'),
    },
    (c, { params, body }) => endConsignment(db, scopeOf(c), params.id, body),
  )
}
