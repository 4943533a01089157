import type { Classification } from './schema.js';

/**
 * Suggests how sensitive a column is from its name and sampled values, with the reasons a provider
 * reads before confirming. It is a suggestion: the provider confirms every column, so the rules lean
 * towards flagging (a `supplier_name` is flagged as a person's name) and are kept few and readable.
 *
 * - Name rules match whole words of the name split at `_`, `-`, spaces and camelCase, so `district`
 *   does not match `dist` and `filename` does not match `name`. Ambiguous words carry a list of
 *   neighbours that clear them (`building_name`, `weather_condition`, `race_no`). Chinese names are
 *   matched by substring, as Chinese has no spaces between words.
 * - Value rules fire when at least 60% of at least 3 non-empty samples match.
 * - identifier > sensitive > personal > public: the most severe match wins; every match gives a reason.
 */
export function suggestClassification(
  column: { name: string; type: string },
  samples: string[],
  options: { now?: Date } = {},
): { suggested: Classification; reasons: string[] } {
  const now = options.now ?? new Date();
  const words = nameWords(column.name);
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  const found: { classification: Classification; reason: string }[] = [];

  for (const rule of nameRules) {
    if (matchesName(rule, words, column.name)) {
      found.push({ classification: rule.classification, reason: `name looks like ${rule.what} column` });
    }
  }
  const birth = birthReason(column, words, values, now);
  if (birth) found.push({ classification: 'personal', reason: birth });
  for (const rule of valueRules) {
    const share = shareMatching(values, rule.test);
    if (share !== null) {
      found.push({
        classification: rule.classification,
        reason: `${Math.round(share * 100)}% of sampled values look like ${rule.what}`,
      });
    }
  }

  const suggested = found.reduce<Classification>(
    (worst, f) => (severity[f.classification] > severity[worst] ? f.classification : worst),
    'public',
  );
  const reasons = [...found]
    .sort((a, b) => severity[b.classification] - severity[a.classification])
    .map((f) => f.reason);
  return { suggested, reasons: [...new Set(reasons)] };
}

const severity: Record<Classification, number> = {
  public: 0,
  internal: 1,
  personal: 2,
  sensitive: 3,
  identifier: 4,
};

// ---- names --------------------------------------------------------------------------------------

/** `customerEmail_2` → [customer, email, 2]; `HKIDNumber` → [hkid, number]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

interface NameRule {
  classification: Classification;
  /** Completes "name looks like … column". */
  what: string;
  /** Each phrase is a run of consecutive words that must appear in the name. */
  phrases: string[][];
  /** Words next to which the phrase means something else (`building_age`). */
  unless?: string[];
  /** Substrings of a Chinese column name. */
  chinese?: string[];
}

const words = (...list: string[]) => list.map((w) => w.split(' '));
const personWords = [
  'customer',
  'patient',
  'member',
  'national',
  'user',
  'staff',
  'employee',
  'student',
  'client',
];
const numberWords = ['id', 'no', 'number', 'num'];

const nameRules: NameRule[] = [
  {
    classification: 'identifier',
    what: 'an HKID or identity card number',
    phrases: words('hkid', 'id card', 'idcard', 'identity card', 'national id', 'nationalid', 'ssn'),
    chinese: ['身份證'],
  },
  { classification: 'identifier', what: 'a passport number', phrases: words('passport'), chinese: ['護照'] },
  {
    classification: 'identifier',
    what: 'an account or card number',
    phrases: [
      ...words(
        'account no',
        'account number',
        'account num',
        'accountno',
        'accountnumber',
        'acct no',
        'iban',
      ),
      ...words('card no', 'card number', 'cardno', 'cardnumber', 'credit card'),
    ],
    chinese: ['帳號', '賬號', '帳戶號碼', '賬戶號碼'],
  },
  {
    classification: 'identifier',
    what: "a person's identifier",
    phrases: [
      ...personWords.flatMap((p) => numberWords.map((n) => [p, n])),
      ...words('customerid', 'patientid', 'memberid', 'userid', 'staffid', 'employeeid', 'studentid'),
    ],
  },
  {
    classification: 'sensitive',
    what: 'a health',
    phrases: words('diagnosis', 'icd', 'icd10', 'medication', 'lab result', 'blood', 'hiv'),
    chinese: ['診斷', '病歷', '藥物'],
  },
  {
    classification: 'sensitive',
    what: 'a health',
    phrases: words('condition'),
    unless: [
      'weather',
      'road',
      'building',
      'asset',
      'equipment',
      'site',
      'traffic',
      'sea',
      'market',
      'surface',
    ],
  },
  {
    classification: 'sensitive',
    what: 'a financial',
    phrases: words('salary', 'income', 'credit score', 'creditscore', 'debt'),
    chinese: ['薪金', '薪酬', '入息'],
  },
  {
    classification: 'sensitive',
    what: 'a financial',
    phrases: words('balance'),
    unless: [
      'water',
      'energy',
      'heat',
      'load',
      'power',
      'mass',
      'carbon',
      'trade',
      'white',
      'colour',
      'color',
    ],
  },
  {
    classification: 'sensitive',
    what: 'a religion, ethnicity, sexuality or criminal record',
    phrases: words('religion', 'ethnicity', 'ethnic', 'sexual', 'criminal'),
    chinese: ['宗教', '種族', '犯罪'],
  },
  {
    classification: 'sensitive',
    what: 'a religion, ethnicity, sexuality or criminal record',
    phrases: words('race'),
    // Hong Kong publishes a lot of horse racing data.
    unless: [
      'no',
      'number',
      'date',
      'time',
      'course',
      'class',
      'distance',
      'id',
      'horse',
      'meeting',
      'venue',
      'track',
    ],
  },
  {
    classification: 'personal',
    what: 'an e-mail',
    phrases: words('email', 'e mail', 'emailaddress'),
    chinese: ['電郵'],
  },
  {
    classification: 'personal',
    what: 'a phone number',
    phrases: words('phone', 'telephone', 'tel', 'mobile', 'fax', 'phoneno', 'mobileno'),
    unless: ['app', 'network', 'operator', 'data', 'coverage'],
    chinese: ['電話', '手機', '傳真'],
  },
  {
    classification: 'personal',
    what: "a person's name",
    phrases: words('name', 'fullname', 'firstname', 'lastname', 'surname', 'givenname', 'familyname'),
    unless: [
      'file',
      'district',
      'region',
      'area',
      'building',
      'estate',
      'company',
      'organisation',
      'organization',
      'org',
      'business',
      'product',
      'item',
      'station',
      'street',
      'road',
      'place',
      'location',
      'site',
      'facility',
      'school',
      'hospital',
      'dataset',
      'table',
      'column',
      'field',
      'brand',
      'project',
      'event',
      'category',
      'type',
      'host',
      'domain',
      'species',
      'course',
      'department',
      'shop',
      'store',
      'venue',
      'route',
      'app',
      'service',
      'device',
      'model',
      'city',
      'country',
    ],
    chinese: ['姓名'],
  },
  {
    classification: 'personal',
    what: 'an address',
    phrases: words('address', 'addr'),
    unless: ['mac', 'web', 'server', 'host', 'memory'],
    chinese: ['地址'],
  },
  { classification: 'personal', what: 'a gender', phrases: words('gender', 'sex'), chinese: ['性別'] },
  {
    classification: 'personal',
    what: 'an age',
    phrases: words('age'),
    unless: ['building', 'asset', 'vehicle', 'tree', 'equipment', 'fleet', 'plant', 'pipe', 'bridge'],
    chinese: ['年齡'],
  },
];

function matchesName(rule: NameRule, nameWords: string[], name: string): boolean {
  if (rule.chinese?.some((c) => name.includes(c))) return true;
  if (rule.unless?.some((w) => nameWords.includes(w))) return false;
  return rule.phrases.some((phrase) => containsRun(nameWords, phrase));
}

function containsRun(haystack: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= haystack.length; i++) {
    if (run.every((w, j) => haystack[i + j] === w)) return true;
  }
  return false;
}

// ---- dates of birth ------------------------------------------------------------------------------

const birthPhrases = words('dob', 'birth', 'birthday', 'birthdate', 'dateofbirth');
/** `birth_rate`, `births_registered` are statistics about births, not someone's birthday. */
const birthUnless = ['rate', 'rates', 'count', 'counts', 'total', 'number', 'registrations', 'registered'];

function birthReason(
  column: { name: string; type: string },
  words: string[],
  values: string[],
  now: Date,
): string | null {
  const isBirthName =
    column.name.includes('出生') ||
    (!birthUnless.some((w) => words.includes(w)) && birthPhrases.some((p) => containsRun(words, p)));
  if (!isBirthName) return null;
  if (/^(DATE|TIMESTAMP)/.test(column.type))
    return 'name suggests a date of birth and the column holds dates';
  const share = shareMatching(values, (v) => isPlausibleBirthDate(v, now));
  if (share !== null) {
    return `${Math.round(share * 100)}% of sampled values are dates 0–120 years in the past and the name mentions birth`;
  }
  return 'name suggests a date of birth';
}

/** ISO (`1985-03-02`, with or without a time), `1985/03/02` or Hong Kong's day-first `02/03/1985`. */
function parseDate(value: string): Date | null {
  const iso = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?$/.exec(value);
  const dayFirst = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : dayFirst
      ? [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])]
      : [Number.NaN, 0, 0];
  if (Number.isNaN(year)) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  const isReal =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isReal ? date : null;
}

function isPlausibleBirthDate(value: string, now: Date): boolean {
  const date = parseDate(value);
  if (!date) return false;
  const earliest = new Date(now);
  earliest.setUTCFullYear(now.getUTCFullYear() - 120);
  return date.getTime() <= now.getTime() && date.getTime() >= earliest.getTime();
}

// ---- values -------------------------------------------------------------------------------------

interface ValueRule {
  classification: Classification;
  /** Completes "N% of sampled values look like …". */
  what: string;
  test: (value: string) => boolean;
}

const valueRules: ValueRule[] = [
  { classification: 'identifier', what: 'HKID numbers', test: isHkid },
  {
    classification: 'personal',
    what: 'e-mail addresses',
    test: (v) => /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(v),
  },
  { classification: 'personal', what: 'Hong Kong phone numbers', test: isHongKongPhone },
  { classification: 'personal', what: 'street addresses', test: isStreetAddress },
];

const minimumSamples = 3;
const minimumShare = 0.6;

/** The share of values passing `test`, or null when too few samples or too few matches. */
function shareMatching(values: string[], test: (value: string) => boolean): number | null {
  if (values.length < minimumSamples) return null;
  const share = values.filter(test).length / values.length;
  return share >= minimumShare ? share : null;
}

/**
 * An HKID: one or two letters, six digits and a check digit (0-9 or A), the check digit optionally
 * in parentheses. The check digit is the Immigration Department's weighted mod-11: with a space
 * (worth 36) before a one-letter prefix, letters worth A=10 … Z=35, the 8 characters are weighted
 * 9 … 2; check = 11 − (sum mod 11), where 10 is written A and 11 is written 0.
 */
export function isHkid(value: string): boolean {
  const match = /^([A-Z]{1,2})(\d{6}) ?(?:\(([0-9A])\)|([0-9A]))$/.exec(value.trim().toUpperCase());
  if (!match) return false;
  const [, letters, digits, bracketed, bare] = match;
  return hkidCheckDigit(`${letters}${digits}`) === (bracketed ?? bare);
}

/** The check digit of an HKID's letters and six digits (`A123456` → `3`). */
export function hkidCheckDigit(body: string): string {
  const chars = (body.length === 7 ? ` ${body}` : body).toUpperCase();
  let sum = 0;
  for (const [i, char] of Array.from(chars).entries()) {
    const worth = char === ' ' ? 36 : /[A-Z]/.test(char) ? char.charCodeAt(0) - 55 : Number(char);
    sum += worth * (9 - i);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'A' : check === 11 ? '0' : String(check);
}

/**
 * Eight digits starting 2-9 (fixed lines start 2/3, mobiles 4-9), optionally after +852 or 852 and
 * optionally split 4+4 by a space or hyphen. Compact dates (`20240115`) also have eight digits
 * starting with 2 and are not counted.
 */
function isHongKongPhone(value: string): boolean {
  const match = /^(?:\+?852[\s-]?)?([2-9]\d{3})[\s-]?(\d{4})$/.exec(value);
  if (!match) return false;
  const digits = `${match[1]}${match[2]}`;
  return !(value === digits && isCompactDate(digits));
}

function isCompactDate(digits: string): boolean {
  const year = Number(digits.slice(0, 4));
  return (
    year >= 1900 &&
    year <= 2100 &&
    parseDate(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`) !== null
  );
}

const streetWords = /\b(road|rd|street|st|avenue|ave|lane|drive|path)\b|[道街路]/giu;
const premisesWords = /\b(flat|floor|room|block|blk|building|bldg|tower|estate|\d+\/f)\b|[號樓室]/giu;

/**
 * An address names a street or premises and says where on it: a street word with a number
 * (`12 Nathan Road`, `彌敦道123號`) or two address words (`Flat A, Block B, Wah Fu Estate`,
 * `華昌樓5樓`). A bare street name (`Nathan Road`, `彌敦道`) or building name (`Building 5W`) is not
 * an address.
 */
function isStreetAddress(value: string): boolean {
  const streets = Array.from(value.matchAll(streetWords)).length;
  const premises = Array.from(value.matchAll(premisesWords)).length;
  return (streets > 0 && /\d/.test(value)) || streets + premises >= 2;
}
