export {
  acceptInvitation,
  type Invitation,
  invitationDays,
  invite,
  openInvitation,
} from './invitations.js'
export { checkPassword, hashPassword, passwordRule, verifyPassword } from './passwords.js'
export {
  failureLimits,
  failureWindowMinutes,
  type SessionOf,
  type SignedIn,
  sessionDays,
  sessionOf,
  setPassword,
  signIn,
  signOut,
  signOutEverywhere,
  startSession,
} from './sessions.js'
