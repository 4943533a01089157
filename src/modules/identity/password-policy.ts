import { AppError } from '../../errors.js';

/**
 * The password policy of NIST SP 800-63B §5.1.1.2 ("memorized secret verifiers"): a minimum length,
 * a generous maximum, and a check against passwords known to be common or easy to guess from the
 * context (the account's own e-mail name, one short run repeated). No composition rules (a digit, a
 * capital, a symbol) and no forced rotation: NIST advises against both, since they push people
 * towards `Password1!` and its successors. Checked whenever a password is set, never at sign-in, so
 * an older password keeps working until its owner changes it.
 */
export const passwordPolicy = {
  minLength: 12,
  maxLength: 256,
  /** An e-mail name shorter than this (`al@…`) would refuse too many good passwords to be useful. */
  minEmailNameLength: 3,
} as const;

export type PasswordRule = 'too-short' | 'too-long' | 'common' | 'repetitive' | 'contains-email';

/** What the schemas tell clients; the rules themselves are answered with `password-too-weak`. */
export const passwordPolicyDescription =
  `at least ${passwordPolicy.minLength} and at most ${passwordPolicy.maxLength} characters, ` +
  'not a common password, not one short run repeated, not containing the name of your e-mail address; ' +
  'no rules about digits or symbols: a few unrelated words make a good one';

let commonPasswords: Promise<Set<string>> | undefined;

/**
 * The most common passwords from real breaches: the ~49,000-entry frequency list that zxcvbn-ts
 * ships (`@zxcvbn-ts/language-common`, derived from public password dumps). Loaded on first use, not
 * at import, so starting the platform does not pay for it. Most entries are shorter than the minimum
 * length and are caught by that rule first; the long ones (`1qaz2wsx3edc`, `qwerty123456`) are why
 * the list is here.
 */
function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase())),
  );
  return commonPasswords;
}

function refuse(rule: PasswordRule, detail: string): AppError {
  return new AppError('password-too-weak', `password: ${detail}`, { rule });
}

/**
 * Throws `password-too-weak` (422) naming the first rule the password breaks. `email` is the address
 * of the account the password is for.
 */
export async function checkPasswordPolicy(password: string, context: { email: string }): Promise<void> {
  // Code points, not UTF-16 units: an emoji is one character to the person typing it (§5.1.1.2).
  const length = [...password].length;
  if (length < passwordPolicy.minLength) {
    throw refuse(
      'too-short',
      `has ${length} characters; use at least ${passwordPolicy.minLength} (a few unrelated words make a good one)`,
    );
  }
  if (length > passwordPolicy.maxLength) {
    throw refuse('too-long', `has ${length} characters; use at most ${passwordPolicy.maxLength}`);
  }
  const lowered = password.toLowerCase();
  if ((await loadCommonPasswords()).has(lowered)) {
    throw refuse(
      'common',
      'is one of the most common passwords, the first an attacker tries; choose another',
    );
  }
  // `abcabcabcabc`, `xxxxxxxxxxxx`: long enough, guessed at once (§5.1.1.2 "repetitive characters").
  const repeated = /^(.{1,4}?)\1+$/su.exec(lowered);
  if (repeated) {
    throw refuse('repetitive', `repeats "${repeated[1]}" over and over; choose one that does not`);
  }
  const emailName = context.email.trim().toLowerCase().split('@')[0] ?? '';
  if (emailName.length >= passwordPolicy.minEmailNameLength && lowered.includes(emailName)) {
    throw refuse(
      'contains-email',
      `contains the name of the e-mail address ("${emailName}"), the first thing an attacker tries; choose one that does not`,
    );
  }
}

/**
 * A generated password that the policy accepts for each of these accounts. The checks above are for
 * passwords people choose (§5.1.1.2); a random one passes them, except for the rare draw that happens
 * to contain an e-mail name ("tony" somewhere in 24 random characters), which is simply drawn again.
 */
export async function generateAcceptedPassword(generate: () => string, emails: string[]): Promise<string> {
  for (let draw = 0; draw < 100; draw++) {
    const candidate = generate();
    try {
      for (const email of emails) await checkPasswordPolicy(candidate, { email });
      return candidate;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'password-too-weak')) throw error;
    }
  }
  throw new Error('the password generator keeps drawing passwords the policy refuses');
}
