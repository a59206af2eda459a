// The admin API (`/v1/admin`): a party's own business, with its secret key, from a server.
import type { components, paths } from './generated/openapi.js'
import type { RequestOptions, Transport } from './http.js'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** The query parameters of an operation, e.g. `QueryOf<'/v1/admin/products'>`. */
export type QueryOf<Path extends keyof paths, M extends Method = 'get'> = paths[Path][M] extends {
  parameters: { query?: infer Q }
}
  ? NonNullable<Q>
  : never

/** The JSON body of an operation, e.g. `BodyOf<'/v1/admin/sales', 'post'>`. */
export type BodyOf<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

/**
 * Which statement: a `period` (`'2026-12'`, the agreement's cycle in Jakarta time, or a day
 * in one) or `from`/`to` dates; and the `locale` of its texts.
 */
export type StatementQuery = Pick<QueryOf<'/v1/admin/agreements/{id}/statement'>, 'locale'> &
  ({ period: string } | { from: string; to?: string })

/** Every admin resource, as `mitra.admin.<resource>.<action>(…)`. */
export class AdminApi {
  constructor(private readonly http: Transport) {}

  readonly apiKeys = {
    /** Create an API key for your party */
    create: (body: BodyOf<'/v1/admin/api_keys', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/api_keys', { ...init, body }),
      ),
    /** List your party's API keys, newest first */
    list: (query: QueryOf<'/v1/admin/api_keys'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/api_keys', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** Revoke one of your API keys */
    revoke: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/api_keys/{id}/revoke', { ...init, params: { path: { id } } }),
      ),
    /**
     * Replace a key with a new one like it; the old one keeps working for `overlap_seconds`
     * (default 24 h, 0: it stops at once). The new token is shown only in this answer.
     */
    rotate: (
      id: string,
      body: BodyOf<'/v1/admin/api_keys/{id}/rotate', 'post'> = {},
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/api_keys/{id}/rotate', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
  }

  readonly auditEvents = {
    /** Your audit log, newest first: filter by `subject_id` or `action` */
    list: (query: QueryOf<'/v1/admin/audit_events'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/audit_events', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
  }

  readonly party = {
    /** Your own party */
    get: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) => this.http.api.GET('/v1/admin/party', { ...init })),
    /** Update your party’s name, slug or profile */
    update: (body: BodyOf<'/v1/admin/party', 'patch'>, options?: RequestOptions) =>
      this.http.send('PATCH', options, (init) =>
        this.http.api.PATCH('/v1/admin/party', { ...init, body }),
      ),
  }

  readonly parties = {
    /** Onboard a party (platform operator): creates it with a first owner key */
    create: (body: BodyOf<'/v1/admin/parties', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/parties', { ...init, body }),
      ),
    /** List every party (platform operator) */
    list: (query: QueryOf<'/v1/admin/parties'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/parties', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One party: any for the platform operator, otherwise only your own */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/parties/{id}', { ...init, params: { path: { id } } }),
      ),
  }

  readonly clusterMembers = {
    /** Invite a producer group (a member once it joins, or at once if it asked to) */
    add: (body: BodyOf<'/v1/admin/cluster/members', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/cluster/members', { ...init, body }),
      ),
    /** Your cluster’s member producer groups */
    list: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/cluster/members', { ...init }),
      ),
    /** Remove a producer group from your cluster, or withdraw its invitation */
    remove: (producerId: string, options?: RequestOptions) =>
      this.http.send('DELETE', options, (init) =>
        this.http.api.DELETE('/v1/admin/cluster/members/{producer_id}', {
          ...init,
          params: { path: { producer_id: producerId } },
        }),
      ),
    /** Open invitations and requests to join, the cluster's or the group's */
    requests: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/cluster_requests', { ...init }),
      ),
  }

  /** A producer group's side of cluster membership: joining, and leaving. */
  readonly clusters = {
    /** Join a cluster (accept its invitation, or ask to join) */
    join: (clusterId: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/clusters/{cluster_id}/join', {
          ...init,
          params: { path: { cluster_id: clusterId } },
        }),
      ),
    /** Leave a cluster, withdraw a request to join, or decline an invitation */
    leave: (clusterId: string, options?: RequestOptions) =>
      this.http.send('DELETE', options, (init) =>
        this.http.api.DELETE('/v1/admin/clusters/{cluster_id}/membership', {
          ...init,
          params: { path: { cluster_id: clusterId } },
        }),
      ),
  }

  readonly invitations = {
    /** Invite a person to your party with a role: a one-time link, a week long */
    create: (body: BodyOf<'/v1/admin/invitations', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/invitations', { ...init, body }),
      ),
  }

  readonly users = {
    /** Add a person to your party (creating their user if the email is new) */
    add: (body: BodyOf<'/v1/admin/users', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/users', { ...init, body }),
      ),
    /** The people in your party and their roles */
    list: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) => this.http.api.GET('/v1/admin/users', { ...init })),
  }

  readonly products = {
    /** Create a product (as a draft), optionally with variants and media */
    create: (body: BodyOf<'/v1/admin/products', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/products', { ...init, body }),
      ),
    /** Your products: filter by status, category or tag; search with q */
    list: (query: QueryOf<'/v1/admin/products'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/products', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One of your products */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/products/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Change a product’s texts, category, materials, tags or origin */
    update: (
      id: string,
      body: BodyOf<'/v1/admin/products/{id}', 'patch'>,
      options?: RequestOptions,
    ) =>
      this.http.send('PATCH', options, (init) =>
        this.http.api.PATCH('/v1/admin/products/{id}', { ...init, params: { path: { id } }, body }),
      ),
    /** Publish (active), archive, or restore to draft */
    setStatus: (
      id: string,
      body: BodyOf<'/v1/admin/products/{id}/status', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/products/{id}/status', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Add a variant (SKU, options, weight, your retail price) */
    addVariant: (
      id: string,
      body: BodyOf<'/v1/admin/products/{id}/variants', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/products/{id}/variants', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Set a product’s images, in order, with alt text */
    setMedia: (
      id: string,
      body: BodyOf<'/v1/admin/products/{id}/media', 'put'>,
      options?: RequestOptions,
    ) =>
      this.http.send('PUT', options, (init) =>
        this.http.api.PUT('/v1/admin/products/{id}/media', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
  }

  readonly variants = {
    /** Change a variant */
    update: (
      id: string,
      body: BodyOf<'/v1/admin/variants/{id}', 'patch'>,
      options?: RequestOptions,
    ) =>
      this.http.send('PATCH', options, (init) =>
        this.http.api.PATCH('/v1/admin/variants/{id}', { ...init, params: { path: { id } }, body }),
      ),
    /** Remove a variant */
    delete: (id: string, options?: RequestOptions) =>
      this.http.send('DELETE', options, (init) =>
        this.http.api.DELETE('/v1/admin/variants/{id}', { ...init, params: { path: { id } } }),
      ),
  }

  readonly partners = {
    /** Publish what you are and what you seek in the partner directory */
    setProfile: (body: BodyOf<'/v1/admin/partner_profile', 'put'>, options?: RequestOptions) =>
      this.http.send('PUT', options, (init) =>
        this.http.api.PUT('/v1/admin/partner_profile', { ...init, body }),
      ),
    /** Find partners: producers or venues, by category and regency */
    list: (query: QueryOf<'/v1/admin/partners'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/partners', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One partner profile */
    get: (partyId: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/partners/{party_id}', {
          ...init,
          params: { path: { party_id: partyId } },
        }),
      ),
  }

  readonly agreements = {
    /** Draft an agreement with a partner (producer ↔ venue) */
    create: (body: BodyOf<'/v1/admin/agreements', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements', { ...init, body }),
      ),
    /** Your agreements */
    list: (query: QueryOf<'/v1/admin/agreements'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/agreements', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One agreement with every version and acceptance */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/agreements/{id}', { ...init, params: { path: { id } } }),
      ),
    /** One version of an agreement (past sales keep the version they used) */
    getVersion: (id: string, version: number, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/agreements/{id}/versions/{version}', {
          ...init,
          params: { path: { id, version } },
        }),
      ),
    /** Change the terms of the open draft (its author only; a version in force never changes) */
    updateDraft: (
      id: string,
      body: BodyOf<'/v1/admin/agreements/{id}/draft', 'put'>,
      options?: RequestOptions,
    ) =>
      this.http.send('PUT', options, (init) =>
        this.http.api.PUT('/v1/admin/agreements/{id}/draft', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Send the open draft to the other side */
    send: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/send', { ...init, params: { path: { id } } }),
      ),
    /** Accept the exact version and terms hash you read; in force once both sides accept */
    accept: (
      id: string,
      body: BodyOf<'/v1/admin/agreements/{id}/accept', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/accept', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Reject the proposal sent to you */
    reject: (
      id: string,
      body: BodyOf<'/v1/admin/agreements/{id}/reject', 'post'> = {},
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/reject', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Withdraw your own proposal */
    withdraw: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/withdraw', {
          ...init,
          params: { path: { id } },
        }),
      ),
    /** Draft an amendment: a new version both sides accept; the one in force stays until then */
    amend: (
      id: string,
      body: BodyOf<'/v1/admin/agreements/{id}/amendments', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/amendments', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** End the agreement; a return is requested for all stock still at the venue */
    terminate: (
      id: string,
      body: BodyOf<'/v1/admin/agreements/{id}/terminate', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/terminate', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
  }

  readonly deliveries = {
    /** Send a delivery note (surat jalan) to a venue */
    create: (body: BodyOf<'/v1/admin/deliveries', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/deliveries', { ...init, body }),
      ),
    /** Deliveries you sent or received */
    list: (query: QueryOf<'/v1/admin/deliveries'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/deliveries', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One delivery */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/deliveries/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Confirm receipt with the counted quantities (discrepancies are kept) */
    receive: (
      id: string,
      body: BodyOf<'/v1/admin/deliveries/{id}/receive', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/deliveries/{id}/receive', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Cancel a delivery not yet received */
    cancel: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/deliveries/{id}/cancel', {
          ...init,
          params: { path: { id } },
        }),
      ),
  }

  readonly sales = {
    /** Record a sale in the venue (cash or QRIS, with the receipt number); its split is posted in the same transaction, a QRIS sale with its payment fee */
    create: (body: BodyOf<'/v1/admin/sales', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/sales', { ...init, body }),
      ),
    /** Sales at your venue with every line, or sales of your goods with only your lines; newest first */
    list: (query: QueryOf<'/v1/admin/sales'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/sales', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One sale, as `list` shows it to you */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/sales/{id}', { ...init, params: { path: { id } } }),
      ),
  }

  readonly reservations = {
    /** Hold stock for a checkout, for a limited time */
    create: (body: BodyOf<'/v1/admin/reservations', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/reservations', { ...init, body }),
      ),
    /** One reservation */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/reservations/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Turn a reservation into a sale and post its split */
    convert: (
      id: string,
      body: BodyOf<'/v1/admin/reservations/{id}/convert', 'post'> = {},
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/reservations/{id}/convert', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Give a reservation’s stock back */
    release: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/reservations/{id}/release', {
          ...init,
          params: { path: { id } },
        }),
      ),
  }

  readonly returns = {
    /** Request a return of goods to the producer */
    create: (body: BodyOf<'/v1/admin/returns', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/returns', { ...init, body }),
      ),
    /** Returns you are part of */
    list: (query: QueryOf<'/v1/admin/returns'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/returns', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One return */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/returns/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Confirm a return with the quantities handed back */
    confirm: (
      id: string,
      body: BodyOf<'/v1/admin/returns/{id}/confirm', 'post'> = {},
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/returns/{id}/confirm', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Cancel a return request */
    cancel: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/returns/{id}/cancel', { ...init, params: { path: { id } } }),
      ),
  }

  readonly writeOffs = {
    /** Record damage or loss; the agreement’s liability decides who owes the producer, posted to the ledger */
    create: (body: BodyOf<'/v1/admin/write_offs', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/write_offs', { ...init, body }),
      ),
  }

  readonly obligations = {
    /** What is owed to producers for damage and loss */
    list: (query: QueryOf<'/v1/admin/obligations'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/obligations', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
  }

  readonly counts = {
    /** Record a stock count (stok opname): differences become adjustments */
    create: (body: BodyOf<'/v1/admin/counts', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/counts', { ...init, body }),
      ),
  }

  readonly transfers = {
    /** Send stock to another venue of the same producer */
    create: (body: BodyOf<'/v1/admin/transfers', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/transfers', { ...init, body }),
      ),
    /** Transfers you are part of */
    list: (query: QueryOf<'/v1/admin/transfers'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/transfers', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One transfer */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/transfers/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Confirm a transfer at the receiving venue */
    receive: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/transfers/{id}/receive', {
          ...init,
          params: { path: { id } },
        }),
      ),
    /** Cancel a transfer not yet received */
    cancel: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/transfers/{id}/cancel', {
          ...init,
          params: { path: { id } },
        }),
      ),
  }

  readonly stock = {
    /** Your goods at every venue: on hand, reserved, sold, aging, discrepancies */
    producer: (query: QueryOf<'/v1/admin/stock/producer'> = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/stock/producer', { ...init, params: { query } }),
      ),
    /** Goods at your venue by producer: on hand, sold, and what you owe each (from the ledger) */
    venue: (query: QueryOf<'/v1/admin/stock/venue'> = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/stock/venue', { ...init, params: { query } }),
      ),
    /** Your members’ goods at every venue (a cluster or cooperative): on hand, sold, aging */
    cluster: (query: QueryOf<'/v1/admin/cluster/stock'> = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/cluster/stock', { ...init, params: { query } }),
      ),
    /** Every stock movement with who and when */
    movements: (query: QueryOf<'/v1/admin/stock/movements'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/stock/movements', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** Lots by age: expiring and expired, with markdown prices */
    aging: (query: QueryOf<'/v1/admin/stock/aging'> = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/stock/aging', { ...init, params: { query } }),
      ),
  }

  readonly saleLines = {
    /** Why you got this amount: your lines of a sale line with rule, basis, rate and rounding */
    explain: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/sale_lines/{id}/explain', {
          ...init,
          params: { path: { id } },
        }),
      ),
  }

  readonly statements = {
    /**
     * A settlement period's statement with its review: `{ period: '2026-12' }` (the
     * agreement's cycle, Jakarta time), a day in it, or `from`/`to` dates.
     */
    get: (agreementId: string, query: StatementQuery, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/agreements/{id}/statement', {
          ...init,
          params: { path: { id: agreementId }, query: { ...query, format: 'json' } },
        }),
      ) as Promise<components['schemas']['AgreementStatement']>,
    /** The same statement as CSV, one row per line, for a spreadsheet. */
    csv: (agreementId: string, query: StatementQuery, options?: RequestOptions) =>
      this.#statementText(agreementId, { ...query, format: 'csv' }, options),
    /** The same statement as a print-ready HTML page. */
    html: (agreementId: string, query: StatementQuery, options?: RequestOptions) =>
      this.#statementText(agreementId, { ...query, format: 'html' }, options),
    /** Acknowledge the statement you saw (by its hash) */
    acknowledge: (
      id: string,
      body: BodyOf<'/v1/admin/agreements/{id}/statement/acknowledge', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/statement/acknowledge', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Dispute a line of the statement, with a comment both sides see */
    dispute: (
      id: string,
      body: BodyOf<'/v1/admin/agreements/{id}/statement/disputes', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/agreements/{id}/statement/disputes', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Withdraw your dispute, with a note */
    resolveDispute: (
      id: string,
      body: BodyOf<'/v1/admin/statement_disputes/{id}/resolve', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/statement_disputes/{id}/resolve', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Each active agreement you follow: were the last period’s statements acknowledged on time */
    punctuality: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/statement_punctuality', { ...init }),
      ),
    /** Disputes still open: on your agreements (a cooperative: its members’; the platform: all) */
    openDisputes: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/statement_disputes', { ...init }),
      ),
  }

  readonly payouts = {
    /** Where you are paid: a Stripe connected account, a bank account (Iris), or by hand */
    setDestination: (
      body: BodyOf<'/v1/admin/payout_destination', 'put'>,
      options?: RequestOptions,
    ) =>
      this.http.send('PUT', options, (init) =>
        this.http.api.PUT('/v1/admin/payout_destination', { ...init, body }),
      ),
    /** What a payout would pay now, item by item (yours; any party’s for the platform) */
    preview: (query: QueryOf<'/v1/admin/payouts/preview'> = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/payouts/preview', { ...init, params: { query } }),
      ),
    /** Post a payout of a party’s unpaid items (platform operator) */
    create: (body: BodyOf<'/v1/admin/payouts', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/payouts', { ...init, body }),
      ),
    /** Your payouts, oldest first (the platform operator: everyone’s, or one party’s) */
    list: (query: QueryOf<'/v1/admin/payouts'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/payouts', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One payout with the items it paid: yours (the platform operator: any) */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/payouts/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Send the payout through the party’s payout method */
    execute: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/payouts/{id}/execute', { ...init, params: { path: { id } } }),
      ),
    /** Approve an Iris payout (a second person: not its creator) */
    approve: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/payouts/{id}/approve', { ...init, params: { path: { id } } }),
      ),
    /** Record a payout made by hand (cash or bank transfer), with reference and proof */
    recordManual: (
      id: string,
      body: BodyOf<'/v1/admin/payouts/{id}/manual', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/payouts/{id}/manual', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
  }

  readonly balance = {
    /** Where your money is: owed to you (collected, or held by a venue), in transit, what you hold for others */
    get: (query: QueryOf<'/v1/admin/balance'> = {}, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/balance', { ...init, params: { query } }),
      ),
  }

  readonly settlements = {
    /** Settle (platform operator): net each venue’s commission against its cash, ask it to remit the rest, pay out what was collected */
    create: (body: BodyOf<'/v1/admin/settlements', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/settlements', { ...init, body }),
      ),
    /** Settlements run, oldest first (platform operator) */
    list: (query: QueryOf<'/v1/admin/settlements'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/settlements', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One settlement with the payouts and remittances it made (platform operator) */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/settlements/{id}', { ...init, params: { path: { id } } }),
      ),
  }

  readonly remittances = {
    /** Remittances you pay (`direction=from`) or receive (`to`); the platform sees all */
    list: (query: QueryOf<'/v1/admin/remittances'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/remittances', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One remittance: who pays whom, how much, by when, and what became of it */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/remittances/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Record that you paid it (the venue), with the reference and a photo of the proof; less than due leaves the rest due */
    record: (
      id: string,
      body: BodyOf<'/v1/admin/remittances/{id}/record', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/remittances/{id}/record', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Pay a remittance owed to the platform through the provider (QRIS, virtual account, card): its page, in the same window */
    paymentLink: (
      id: string,
      body: BodyOf<'/v1/admin/remittances/{id}/payment_link', 'post'> = {},
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/remittances/{id}/payment_link', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Confirm you received it: only then is the money moved in the ledger */
    confirm: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/remittances/{id}/confirm', {
          ...init,
          params: { path: { id } },
        }),
      ),
    /** Say it did not arrive as recorded: the venue records it again */
    dispute: (
      id: string,
      body: BodyOf<'/v1/admin/remittances/{id}/dispute', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/remittances/{id}/dispute', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** It was confirmed, then the money came back: undone, and due again */
    bounce: (
      id: string,
      body: BodyOf<'/v1/admin/remittances/{id}/bounce', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/remittances/{id}/bounce', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
  }

  readonly subcontracts = {
    /** Contract a producer (as a buyer): items, target, unit price, deadline, penalty */
    create: (body: BodyOf<'/v1/admin/subcontracts', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/subcontracts', { ...init, body }),
      ),
    /** Your subcontracts, as buyer or producer (oldest first) */
    list: (query: QueryOf<'/v1/admin/subcontracts'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/subcontracts', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** A subcontract with its deliveries, fulfilment rate, penalty and invoice */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/subcontracts/{id}', { ...init, params: { path: { id } } }),
      ),
    /** Record a delivery under a subcontract (as its producer) */
    addDelivery: (
      id: string,
      body: BodyOf<'/v1/admin/subcontracts/{id}/deliveries', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/subcontracts/{id}/deliveries', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Inspect a delivery (as the buyer): accepted + rejected = delivered */
    inspectDelivery: (
      id: string,
      body: BodyOf<'/v1/admin/subcontract_deliveries/{id}/inspect', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/subcontract_deliveries/{id}/inspect', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Close a subcontract after its deadline (as the buyer); posts the penalty once */
    close: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/subcontracts/{id}/close', {
          ...init,
          params: { path: { id } },
        }),
      ),
  }

  readonly advances = {
    /** Record inputs advanced on credit to a producer (as a core partner) */
    create: (body: BodyOf<'/v1/admin/advances', 'post'>, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/advances', { ...init, body }),
      ),
    /** What a producer still owes for advances (the producer: all; a core partner: its own) */
    outstanding: (query: QueryOf<'/v1/admin/advances/outstanding'>, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/advances/outstanding', { ...init, params: { query } }),
      ),
  }

  readonly intiPlasma = {
    /** Propose an inti-plasma partnership to a producer (as a core partner): agreed prices, deduction share */
    create: (
      body: BodyOf<'/v1/admin/inti_plasma_partnerships', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/inti_plasma_partnerships', { ...init, body }),
      ),
    /** Your inti-plasma partnerships, as core partner or producer (oldest first) */
    list: (query: QueryOf<'/v1/admin/inti_plasma_partnerships'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/inti_plasma_partnerships', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** An inti-plasma partnership with its advances (given, repaid, owed) and purchases */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/inti_plasma_partnerships/{id}', {
          ...init,
          params: { path: { id } },
        }),
      ),
    /** Accept the proposed terms (as the producer): the partnership is active */
    accept: (id: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/inti_plasma_partnerships/{id}/accept', {
          ...init,
          params: { path: { id } },
        }),
      ),
    /** End a partnership or decline a proposal (either side); what is owed stays owed */
    end: (
      id: string,
      body: BodyOf<'/v1/admin/inti_plasma_partnerships/{id}/end', 'post'> = {},
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/inti_plasma_partnerships/{id}/end', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Record inputs advanced on credit under the partnership (as the core partner) */
    addAdvance: (
      id: string,
      body: BodyOf<'/v1/admin/inti_plasma_partnerships/{id}/advances', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/inti_plasma_partnerships/{id}/advances', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Buy units of an agreed item at the agreed price (as the core partner) */
    addPurchase: (
      id: string,
      body: BodyOf<'/v1/admin/inti_plasma_partnerships/{id}/purchases', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/inti_plasma_partnerships/{id}/purchases', {
          ...init,
          params: { path: { id } },
          body,
        }),
      ),
    /** Purchases under the partnership (both sides, oldest first) */
    listPurchases: (
      id: string,
      query: QueryOf<'/v1/admin/inti_plasma_partnerships/{id}/purchases'> = {},
      options?: RequestOptions,
    ) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/inti_plasma_partnerships/{id}/purchases', {
          ...init,
          params: { path: { id }, query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
  }

  readonly checkoutSettings = {
    /** How this venue sells online */
    get: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/checkout/settings', { ...init }),
      ),
    /** Set the venue’s currency, pickup and flat delivery rate */
    update: (body: BodyOf<'/v1/admin/checkout/settings', 'put'>, options?: RequestOptions) =>
      this.http.send('PUT', options, (init) =>
        this.http.api.PUT('/v1/admin/checkout/settings', { ...init, body }),
      ),
  }

  readonly orders = {
    /** Orders this party sells, or has goods in, newest first */
    list: (query: QueryOf<'/v1/admin/orders'> = {}, options?: RequestOptions) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/orders', {
          ...init,
          params: { query: { ...query, cursor: cursor ?? query.cursor } },
        }),
      ),
    /** One order, with its lines, money and history */
    get: (orderId: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/orders/{order_id}', {
          ...init,
          params: { path: { order_id: orderId } },
        }),
      ),
    /** The order waits at the counter */
    readyForPickup: (orderId: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/orders/{order_id}/ready-for-pickup', {
          ...init,
          params: { path: { order_id: orderId } },
        }),
      ),
    /** The order left with the courier */
    shipped: (orderId: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/orders/{order_id}/shipped', {
          ...init,
          params: { path: { order_id: orderId } },
        }),
      ),
    /** The buyer has the goods */
    completed: (orderId: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/orders/{order_id}/completed', {
          ...init,
          params: { path: { order_id: orderId } },
        }),
      ),
    /** Cancel an unpaid order: its stock is released */
    cancel: (orderId: string, options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/orders/{order_id}/cancel', {
          ...init,
          params: { path: { order_id: orderId } },
        }),
      ),
  }

  readonly refunds = {
    /** Refund part or all of a paid order through its provider; the split is reversed, the goods restocked, kept or written off */
    create: (
      orderId: string,
      body: BodyOf<'/v1/admin/orders/{order_id}/refunds', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/orders/{order_id}/refunds', {
          ...init,
          params: { path: { order_id: orderId } },
          body,
        }),
      ),
    /** An order's refunds, through mitra or in the provider's dashboard, oldest first */
    list: (
      orderId: string,
      query: QueryOf<'/v1/admin/orders/{order_id}/refunds'> = {},
      options?: RequestOptions,
    ) =>
      this.http.list(options, (init, cursor) =>
        this.http.api.GET('/v1/admin/orders/{order_id}/refunds', {
          ...init,
          params: {
            path: { order_id: orderId },
            query: { ...query, cursor: cursor ?? query.cursor },
          },
        }),
      ),
    /** Settle by hand a refund still pending after 20 hours, as the provider’s dashboard shows it */
    settle: (
      orderId: string,
      refundId: string,
      body: BodyOf<'/v1/admin/orders/{order_id}/refunds/{refund_id}/settle', 'post'>,
      options?: RequestOptions,
    ) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/orders/{order_id}/refunds/{refund_id}/settle', {
          ...init,
          params: { path: { order_id: orderId, refund_id: refundId } },
          body,
        }),
      ),
  }

  readonly brandKit = {
    /** Create or replace your brand kit (producers and clusters) */
    set: (body: BodyOf<'/v1/admin/brand_kit', 'put'>, options?: RequestOptions) =>
      this.http.send('PUT', options, (init) =>
        this.http.api.PUT('/v1/admin/brand_kit', { ...init, body }),
      ),
    /** Your brand kit */
    get: (options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/brand_kit', { ...init }),
      ),
  }

  readonly media = {
    /** Upload an image (JPEG, PNG, WebP or AVIF): it is resized and encoded for the web. */
    upload: (file: Blob, filename = 'image', options?: RequestOptions) =>
      this.http.send('POST', options, (init) =>
        this.http.api.POST('/v1/admin/media', {
          ...init,
          body: { file: '' },
          bodySerializer: () => {
            const form = new FormData()
            form.append('file', file, filename)
            return form
          },
        }),
      ),
    /** One of your media assets */
    get: (id: string, options?: RequestOptions) =>
      this.http.send('GET', options, (init) =>
        this.http.api.GET('/v1/admin/media/{id}', { ...init, params: { path: { id } } }),
      ),
  }

  #statementText(
    agreementId: string,
    query: QueryOf<'/v1/admin/agreements/{id}/statement'>,
    options: RequestOptions | undefined,
  ): Promise<string> {
    return this.http.send('GET', options, (init) =>
      this.http.api.GET('/v1/admin/agreements/{id}/statement', {
        ...init,
        params: { path: { id: agreementId }, query },
        parseAs: 'text',
      }),
    ) as Promise<string>
  }
}
