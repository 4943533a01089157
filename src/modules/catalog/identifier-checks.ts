/**
 * Check digits of the identifiers the classifier looks for. A check digit is what tells an
 * identity or card number from any other run of digits of the same length, so the value rules rely
 * on these rather than on shape alone.
 */

/** Luhn (ISO/IEC 7812-1): from the right, every second digit doubled (minus 9 above 9); sum ≡ 0 mod 10. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * A payment card number: 13 to 19 digits (spaces or hyphens between groups allowed) with an issuer
 * prefix of a card scheme (Visa 4, Mastercard 51-55 and 2221-2720, American Express 34/37,
 * Discover 6011/65, JCB 35, UnionPay 62) and a valid Luhn digit. The prefix keeps the 1 in 10 of
 * all digit strings that pass Luhn by chance from counting.
 */
export function isCardNumber(value: string): boolean {
  if (!/^\d[\d -]{11,22}\d$/.test(value)) return false;
  const digits = value.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  const prefix4 = Number(digits.slice(0, 4));
  const isScheme =
    /^4/.test(digits) ||
    /^5[1-5]/.test(digits) ||
    (prefix4 >= 2221 && prefix4 <= 2720) ||
    /^3[47]/.test(digits) ||
    /^(6011|65)/.test(digits) ||
    /^35/.test(digits) ||
    /^62/.test(digits);
  return isScheme && passesLuhn(digits);
}

const residentIdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const residentIdChecks = '10X98765432';

/**
 * A Mainland China resident identity number (GB 11643-1999): six digits of region, the birth date
 * as YYYYMMDD, three digits of sequence and a check character by ISO 7064 MOD 11-2: Σ digit·weight
 * with weights 2^(17−i) mod 11 (7, 9, 10, 5 …), and the check is "10X98765432"[sum mod 11].
 */
export function isResidentIdNumber(value: string): boolean {
  const match = /^(\d{6})(\d{4})(\d{2})(\d{2})\d{3}([\dX])$/.exec(value.trim().toUpperCase());
  if (!match) return false;
  const [, , year, month, day] = match;
  const born = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (born.getUTCDate() !== Number(day) || Number(year) < 1900) return false;
  return residentIdCheck(value.trim().slice(0, 17)) === value.trim().toUpperCase()[17];
}

/** The check character of a resident id's first 17 digits. */
export function residentIdCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * residentIdWeights[i]!;
  return residentIdChecks[sum % 11]!;
}

/**
 * A US Social Security number written as AAA-GG-SSSS. Never issued: area 000, 666 or 900-999,
 * group 00, serial 0000 — and those are the values made-up numbers most often use.
 */
export function isSocialSecurityNumber(value: string): boolean {
  const match = /^(\d{3})-(\d{2})-(\d{4})$/.exec(value);
  if (!match) return false;
  const [, area, group, serial] = match;
  return area !== '000' && area !== '666' && !area!.startsWith('9') && group !== '00' && serial !== '0000';
}

/**
 * A Macao resident identity card (BIR) number: seven digits starting 1, 5 or 7 and a check digit
 * written in brackets or after a slash (`1234567(8)`, `5/123456/7`). The check digit's algorithm is
 * not published, so the written form is what is recognised.
 */
export function isMacaoIdNumber(value: string): boolean {
  return /^[157]\d{6}\(\d\)$|^[157]\/\d{6}\/\d$/.test(value.trim());
}

/** An IBAN: country, two check digits and up to 30 characters; valid when the number mod 97 is 1 (ISO 13616). */
export function isIban(value: string): boolean {
  const compact = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
  const rearranged = `${compact.slice(4)}${compact.slice(0, 4)}`;
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const verhoeffMultiply = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const verhoeffPermute = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const verhoeffInverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** Whether a digit string ends in a valid Verhoeff check digit (the dihedral group D5). */
export function passesVerhoeff(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let check = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    check = verhoeffMultiply[check]![verhoeffPermute[i % 8]![digit]!]!;
  }
  return check === 0;
}

/** The Verhoeff check digit to append to `digits`. */
export function verhoeffCheckDigit(digits: string): string {
  let check = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    check = verhoeffMultiply[check]![verhoeffPermute[(i + 1) % 8]![digit]!]!;
  }
  return String(verhoeffInverse[check]);
}

/**
 * A SNOMED CT identifier: 6 to 18 digits, no leading zero, a partition identifier (the two digits
 * before the check digit) of a concept, description or relationship (00-02 core, 10-12 extension)
 * and a Verhoeff check digit (SNOMED CT Technical Implementation Guide, "SCTID").
 */
export function isSnomedId(value: string): boolean {
  if (!/^[1-9]\d{5,17}$/.test(value)) return false;
  const partition = value.slice(-3, -1);
  return ['00', '01', '02', '10', '11', '12'].includes(partition) && passesVerhoeff(value);
}
