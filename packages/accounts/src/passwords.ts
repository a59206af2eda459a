import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'
import { fieldError } from '@mitra/core'

/**
 * Passwords are stored as `scrypt$N$r$p$salt$hash` (base64url): Node's built-in scrypt, a
 * memory-hard hash (OWASP's choice when argon2id is not at hand), with its cost kept beside
 * each hash so that raising it later leaves old hashes verifiable. N = 2^15, r = 8, p = 1:
 * about 32 MiB and 50–100 ms per check on this kind of machine.
 */
const cost = { N: 2 ** 15, r: 8, p: 1 }
const keyLength = 32
const maxmem = 64 * 1024 * 1024

/** A password people can type on a phone: 8 to 200 characters (NIST SP 800-63B). */
export const passwordRule = { min: 8, max: 200 }

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )
}

/** Refuses (422 naming `field`) a password outside the rule. */
export function checkPassword(password: string, field = 'password'): void {
  if (password.length < passwordRule.min) {
    throw fieldError(field, 'too_short', `at least ${passwordRule.min} characters`)
  }
  if (password.length > passwordRule.max) {
    throw fieldError(field, 'too_long', `at most ${passwordRule.max} characters`)
  }
}

export async function hashPassword(password: string): Promise<string> {
  checkPassword(password)
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')]
    .map(String)
    .join('$')
}

/** True when `password` is the one `stored` was made from (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/**
 * A hash of no one's password: an unknown account is checked against it, so that a sign-in
 * takes as long for an account that does not exist as for a wrong password.
 */
export const decoyHash = hashPassword(randomBytes(24).toString('base64url'))
