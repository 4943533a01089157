import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** What `stp login` remembers: the server and a personal access token (never the password). */
export interface StoredCredentials {
  url: string;
  token: string;
  tokenId: string;
  email: string;
  orgId: string;
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.STP_CONFIG_DIR ?? path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'stp');
  return path.join(base, 'credentials.json');
}

export async function readCredentials(
  env: NodeJS.ProcessEnv = process.env,
): Promise<StoredCredentials | null> {
  try {
    return JSON.parse(await readFile(credentialsPath(env), 'utf8')) as StoredCredentials;
  } catch {
    return null;
  }
}

export async function writeCredentials(credentials: StoredCredentials, env: NodeJS.ProcessEnv = process.env) {
  const file = credentialsPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}

export async function forgetCredentials(env: NodeJS.ProcessEnv = process.env) {
  await rm(credentialsPath(env), { force: true });
}
