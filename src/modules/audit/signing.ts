import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { createFileOnce, writeFileAtomic } from '../../infra/atomic-files.js';

type CryptoKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * The platform's Ed25519 key that signs ledger exports, so a regulator can check an export
 * offline with the public key alone. Kept in DATA_DIR/keys, private part readable by the owner only.
 */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const alg = 'EdDSA';

export function signingKeyPaths(dataDir: string) {
  const dir = path.join(dataDir, 'keys');
  return {
    dir,
    privatePath: path.join(dir, 'ledger-ed25519.jwk.json'),
    publicPath: path.join(dir, 'ledger-ed25519.pub.jwk.json'),
  };
}

export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const { dir, privatePath, publicPath } = signingKeyPaths(dataDir);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await readFile(privatePath, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const pair = await generateKeyPair(alg, { crv: 'Ed25519', extractable: true });
    privateJwk = await exportJWK(pair.privateKey);
    privateJwk.kid = await calculateJwkThumbprint(privateJwk);
    privateJwk.alg = alg;
    // Several nodes starting at once on one DATA_DIR: the first key made wins, and all sign with it.
    const isMine = await createFileOnce(privatePath, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
    if (!isMine) privateJwk = JSON.parse(await readFile(privatePath, 'utf8')) as JWK;
  }
  const { d: _secret, ...publicJwk } = privateJwk;
  await writeFileAtomic(publicPath, JSON.stringify(publicJwk, null, 2), { mode: 0o644 }).catch(() => {});
  const privateKey = (await importJWK(privateJwk, alg)) as CryptoKey;
  return { kid: privateJwk.kid as string, privateKey, publicJwk };
}

export async function signJson(key: SigningKey, payload: unknown): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg, kid: key.kid, typ: 'stp-audit-manifest+json' })
    .sign(key.privateKey);
}

/** Verifies a compact JWS with a public JWK and returns its JSON payload; throws when it does not verify. */
export async function verifySignedJson(jws: string, publicJwk: JWK): Promise<unknown> {
  const key = await importJWK({ ...publicJwk, alg }, alg);
  const { payload } = await compactVerify(jws, key, { algorithms: [alg] });
  return JSON.parse(new TextDecoder().decode(payload));
}
