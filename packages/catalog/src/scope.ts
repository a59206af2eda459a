import { MitraError } from '@mitra/core'
import type { Role } from '@mitra/db'

/** Who is acting: the party a key or console session acts for, and its role there. */
export interface Scope {
  partyId: string
  role: Role
}

const roleRank: Record<Role, number> = { viewer: 0, staff: 1, owner: 2 }

/** True when `role` is at least `required` (owner > staff > viewer). */
export function hasRole(role: Role, required: Role): boolean {
  return roleRank[role] >= roleRank[required]
}

/**
 * Refuses with 403 `forbidden` when the scope's role is below `required`.
 *
 * @example
 * assertRole(scope, 'owner') // staff may edit products, only owners change the party
 */
export function assertRole(scope: Scope, required: Role): void {
  if (!hasRole(scope.role, required)) {
    throw new MitraError('forbidden', `This needs the '${required}' role; you are '${scope.role}'`)
  }
}
