import { type Id, newId } from '@mitra/core'
import { type AuditActorKind, auditEvents, type Executor } from '@mitra/db'
import { and, desc, eq, lt } from 'drizzle-orm'
import type { Context } from 'hono'
import type { AppEnv } from './env.js'

/** Who acted: the key or person behind the request, and the party they acted for. */
export interface AuditActor {
  kind: AuditActorKind
  id: string | null
  partyId: string | null
  requestId: string | null
}

/** One audited action. It is kept under each of `partyIds` (the parties it concerns). */
export interface AuditEntry {
  /** `api_key.rotated`, `agreement.accepted`, `variant.price_changed`, … */
  action: string
  subjectType: string
  subjectId: string
  partyIds: readonly string[]
  /** What changed: before and after values, or the action's inputs. */
  details?: Record<string, unknown>
}

/** The principal the auth middleware set, as the actor of an audit event. */
export function actorOf(c: Context<AppEnv>): AuditActor {
  const principal = c.get('principal')
  return {
    kind: principal.kind === 'session' ? 'user' : 'api_key',
    id: principal.keyId,
    partyId: principal.partyId,
    requestId: c.get('requestId') ?? null,
  }
}

/**
 * Records an action, once under each party it concerns (the actor's own party included).
 * Give it the transaction that made the change, so both are kept or neither.
 */
export async function recordAudit(db: Executor, actor: AuditActor, entry: AuditEntry) {
  const partyIds = [...new Set([...entry.partyIds, ...(actor.partyId ? [actor.partyId] : [])])]
  await db.insert(auditEvents).values(
    partyIds.map((partyId) => ({
      id: newId('aud'),
      partyId,
      actorKind: actor.kind,
      actorId: actor.id,
      actorPartyId: actor.partyId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      details: entry.details ?? {},
      requestId: actor.requestId,
    })),
  )
}

export type AuditEventView = ReturnType<typeof toView>

function toView(row: typeof auditEvents.$inferSelect) {
  return {
    id: row.id as Id<'aud'>,
    object: 'audit_event' as const,
    party_id: row.partyId,
    actor: { kind: row.actorKind, id: row.actorId, party_id: row.actorPartyId },
    action: row.action,
    subject: { type: row.subjectType, id: row.subjectId },
    details: row.details,
    request_id: row.requestId,
    created_at: row.createdAt.toISOString(),
  }
}

/** The party's own audit events, newest first; never another party's. */
export async function listAuditEvents(
  db: Executor,
  partyId: string,
  options: { limit: number; startingAfter?: string; subjectId?: string; action?: string },
): Promise<AuditEventView[]> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.partyId, partyId),
        options.startingAfter ? lt(auditEvents.id, options.startingAfter) : undefined,
        options.subjectId ? eq(auditEvents.subjectId, options.subjectId) : undefined,
        options.action ? eq(auditEvents.action, options.action) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(options.limit)
  return rows.map(toView)
}
