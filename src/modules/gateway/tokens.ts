import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import type { AccessTokenClaims, AccessTokenVerifier } from './snapshot.js';

export interface JwtVerifierOptions {
  /** The platform's public signing keys; called per token so a rotation is picked up at once. */
  getKeys: () => JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Leeway for exp/nbf in seconds (clock skew between the token endpoint and the gateway). */
  clockToleranceSeconds?: number;
}

/**
 * Verifies OAuth2 access tokens (RFC 9068-style JWTs) for the gateway. Only ES256 is accepted:
 * pinning the algorithm refuses `alg: none` and the HS256-with-the-public-key confusion attack.
 * jose checks signature, exp, nbf, iss and aud; the claims the gateway relies on must be strings.
 */
export function createJwtVerifier(options: JwtVerifierOptions): AccessTokenVerifier {
  let keys: JSONWebKeySet | undefined;
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined;
  return {
    async verify(token: string): Promise<AccessTokenClaims> {
      const current = options.getKeys();
      // Rebuild the key set only when the JWKS object changed: importing keys costs more than verifying.
      if (current !== keys || !keySet) {
        keys = current;
        keySet = createLocalJWKSet(current);
      }
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: ['ES256'],
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'sub'],
      });
      const { sub, org, scope } = payload as { sub?: unknown; org?: unknown; scope?: unknown };
      if (typeof sub !== 'string' || typeof org !== 'string') {
        throw new Error('the token lacks the sub or org claim');
      }
      return { clientId: sub, orgId: org, scope: typeof scope === 'string' ? scope : '' };
    },
  };
}
