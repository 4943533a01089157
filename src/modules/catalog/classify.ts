import {
  isCardNumber,
  isIban,
  isMacaoIdNumber,
  isResidentIdNumber,
  isSnomedId,
  isSocialSecurityNumber,
} from './identifier-checks.js';
import { looksLikePersonName, type PersonNames } from './person-names.js';
import type { Classification, ColumnExplanation } from './schema.js';

/**
 * Suggests how sensitive a column is from its name and sampled values, with the reasons a provider
 * reads before confirming, in English and Traditional Chinese. It is a suggestion: the provider
 * confirms every column, so the rules lean towards flagging, and are kept few and readable. The
 * rules, what each catches and why, are listed in docs/classification.md.
 *
 * - Name rules match whole words of the name split at `_`, `-`, spaces and camelCase, so `district`
 *   does not match `dist` and `filename` does not match `name`. Ambiguous words carry a list of
 *   neighbours that clear them (`building_name`, `weather_condition`, `race_no`). Chinese names are
 *   matched by substring, as Chinese has no spaces between words.
 * - Value rules fire when at least 60% of at least 3 non-empty samples match. Identity and card
 *   numbers count only with a valid check digit.
 * - A bare `name` column is decided by its values when there are any: a column of product names
 *   is not personal, a column of people's names is.
 * - identifier > sensitive > personal > public: the most severe match wins; every match gives a reason.
 *
 * Rules that need the other columns of the file (a unique key in a file about people, a pair of
 * precise coordinates) are in suggestColumns.
 */
export function suggestClassification(
  column: { name: string; type: string },
  samples: string[],
  options: { now?: Date; names?: PersonNames } = {},
): ColumnSuggestion {
  const now = options.now ?? new Date();
  const words = nameWords(column.name);
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  const found: Finding[] = [];
  let isQuasiIdentifier = false;

  const isText = column.type === '' || /^VARCHAR/.test(column.type);
  for (const rule of nameRules) {
    if (rule.isTextOnly && !isText) continue;
    if (matchesName(rule, words, column.name)) {
      found.push(nameFinding(rule.classification, rule.id, rule.what));
      if (rule.isQuasiIdentifier) isQuasiIdentifier = true;
    }
  }
  if (quasiOnlyWords.some((w) => words.includes(w)) || /地區|地区|分區|分区/.test(column.name)) {
    isQuasiIdentifier = true;
  }
  const personName = personNameFindings(column.name, words, values, options.names);
  found.push(...personName);
  const birth = birthFinding(column, words, values, now);
  if (birth) {
    found.push(birth);
    isQuasiIdentifier = true;
  }
  for (const rule of valueRules) {
    if (rule.types && !rule.types.test(column.type)) continue;
    const share = shareMatching(values, rule.test);
    if (share !== null && (!rule.holds || rule.holds(values))) {
      found.push(valueFinding(rule.classification, rule.id, rule.what, share));
    }
  }
  return summarise(found, isQuasiIdentifier);
}

export interface ColumnSuggestion {
  suggested: Classification;
  /** The reasons in English, most severe first (what older clients read). */
  reasons: string[];
  /** Each reason with the rule that gave it, the share of values that matched, in both languages. */
  explanations: ColumnExplanation[];
  /** Birth date, sex, age, postcode, district and the like: together they can single a person out. */
  isQuasiIdentifier: boolean;
}

interface Finding {
  classification: Classification;
  explanation: ColumnExplanation;
}

/** A "what" in English and in Traditional Chinese. */
interface What {
  en: string;
  zh: string;
}

function nameFinding(classification: Classification, rule: string, what: What): Finding {
  return {
    classification,
    explanation: {
      rule,
      share: null,
      en: `name looks like ${what.en} column`,
      'zh-HK': `欄名看似${what.zh}欄`,
    },
  };
}

function valueFinding(classification: Classification, rule: string, what: What, share: number): Finding {
  const percent = Math.round(share * 100);
  return {
    classification,
    explanation: {
      rule,
      share,
      en: `${percent}% of sampled values look like ${what.en}`,
      'zh-HK': `${percent}% 的抽樣值看似${what.zh}`,
    },
  };
}

function summarise(found: Finding[], isQuasiIdentifier: boolean): ColumnSuggestion {
  const suggested = found.reduce<Classification>(
    (worst, f) => (severity[f.classification] > severity[worst] ? f.classification : worst),
    'public',
  );
  const ordered = [...found].sort((a, b) => severity[b.classification] - severity[a.classification]);
  // Two rules may say the same thing (a name rule listed under two ids): keep the sentence once.
  const byText = new Map<string, ColumnExplanation>();
  for (const { explanation } of ordered)
    if (!byText.has(explanation.en)) byText.set(explanation.en, explanation);
  const explanations = [...byText.values()];
  return { suggested, reasons: explanations.map((e) => e.en), explanations, isQuasiIdentifier };
}

const severity: Record<Classification, number> = {
  public: 0,
  internal: 1,
  personal: 2,
  sensitive: 3,
  identifier: 4,
};

// ---- the file as a whole ------------------------------------------------------------------------

export interface ProfiledColumn {
  name: string;
  type: string;
  samples: string[];
  /** Approximate count of distinct values (DuckDB's approx_count_distinct). */
  distinct: number;
  nullCount: number;
}

/** Rows of a file with fewer rows than this are too few to call a column "unique per row". */
const minimumRowsForUniqueness = 20;
const nearUniqueShare = 0.95;

/**
 * Suggests every column of a file. Beyond each column on its own:
 * - a key that is unique or nearly unique per row and is named like an id (or holds UUIDs or codes)
 *   is an identifier when the file is about people (another column is personal, sensitive or an
 *   identifier): it singles out one person's row and links it to their other records;
 * - latitude and longitude with more than three decimals (about 100 m or finer) locate a building,
 *   so a precise pair is personal location.
 */
export function suggestColumns(
  columns: ProfiledColumn[],
  rowCount: number,
  options: { now?: Date; names?: PersonNames } = {},
): ColumnSuggestion[] {
  const suggestions = columns.map((column) => suggestClassification(column, column.samples, options));
  const isAboutPeople = suggestions.some((s) => severity[s.suggested] >= severity.personal);
  const coordinates = precisePair(columns);
  return suggestions.map((suggestion, i) => {
    const column = columns[i]!;
    const extra: Finding[] = [];
    if (coordinates.has(column.name)) {
      extra.push(
        nameFinding('personal', 'coordinates', {
          en: 'a precise latitude or longitude (paired, more than 3 decimals)',
          zh: '精確經緯度（成對，多於 3 位小數）',
        }),
      );
    }
    const nonNull = rowCount - column.nullCount;
    const isNearUnique =
      rowCount >= minimumRowsForUniqueness && nonNull > 0 && column.distinct >= nonNull * nearUniqueShare;
    if (
      isAboutPeople &&
      isNearUnique &&
      suggestion.suggested !== 'identifier' &&
      isKeyLike(column) &&
      !/^(DOUBLE|FLOAT|REAL|DECIMAL|DATE|TIMESTAMP|TIME|BOOLEAN)/.test(column.type)
    ) {
      const share = Math.min(1, column.distinct / nonNull);
      extra.push({
        classification: 'identifier',
        explanation: {
          rule: 'unique-key',
          share,
          en: `${Math.round(share * 100)}% of rows have a value of their own and the name or values look like a key, in a file about people`,
          'zh-HK': `${Math.round(share * 100)}% 的資料列各有獨特值，欄名或值看似編號，而檔案涉及個人`,
        },
      });
    }
    if (extra.length === 0) return suggestion;
    return summarise(
      [
        ...extra,
        ...suggestion.explanations.map((explanation) => ({
          classification: classificationOfRule(explanation.rule),
          explanation,
        })),
      ],
      suggestion.isQuasiIdentifier,
    );
  });
}

const keyWords = [
  'id',
  'uuid',
  'guid',
  'key',
  'no',
  'number',
  'num',
  'ref',
  'reference',
  'code',
  'identifier',
];

function isKeyLike(column: ProfiledColumn): boolean {
  const words = nameWords(column.name);
  if (words.some((w) => keyWords.includes(w)) || /(id|no|編號|编号|號碼|号码)$/i.test(column.name))
    return true;
  const values = column.samples.filter((s) => s.trim() !== '');
  // UUIDs, or codes mixing letters and digits without spaces (`S99912345`, `MRN-0042`).
  return (
    shareMatching(values, (v) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
    ) !== null || shareMatching(values, (v) => /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9-]{5,40}$/.test(v)) !== null
  );
}

const latitudeWords = ['lat', 'latitude', '緯度', '纬度'];
const longitudeWords = ['lon', 'lng', 'long', 'longitude', '經度', '经度'];

/** The names of a latitude and a longitude column whose values mostly have more than three decimals. */
function precisePair(columns: ProfiledColumn[]): Set<string> {
  const isPrecise = (column: ProfiledColumn, limit: number) =>
    shareMatching(
      column.samples.map((s) => s.trim()).filter((s) => s !== ''),
      (v) => /^-?\d{1,3}\.\d{4,}$/.test(v) && Math.abs(Number(v)) <= limit,
    ) !== null;
  const named = (list: string[]) =>
    columns.find(
      (c) =>
        nameWords(c.name).some((w) => list.includes(w)) ||
        list.some((w) => c.name.includes(w) && /\p{Script=Han}/u.test(w)),
    );
  const latitude = named(latitudeWords);
  const longitude = named(longitudeWords);
  if (!latitude || !longitude || latitude === longitude) return new Set();
  return isPrecise(latitude, 90) && isPrecise(longitude, 180)
    ? new Set([latitude.name, longitude.name])
    : new Set();
}

const ruleClassification = new Map<string, Classification>();

function classificationOfRule(rule: string): Classification {
  return ruleClassification.get(rule) ?? 'personal';
}

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
  /** A stable name for the rule, given back with each reason. */
  id: string;
  classification: Classification;
  /** Completes "name looks like … column". */
  what: What;
  /** Each phrase is a run of consecutive words that must appear in the name. */
  phrases: string[][];
  /** The whole name, word for word (`first`, `drivers`): a word too common to match inside a name. */
  exactly?: string[][];
  /** Words next to which the phrase means something else (`building_age`). */
  unless?: string[];
  /** Substrings of a Chinese column name. */
  chinese?: string[];
  /** Part of what could single a person out with the others (birth, sex, age, postcode, district). */
  isQuasiIdentifier?: boolean;
  /** Only for text columns: a numeric `last` is a price, not a surname. */
  isTextOnly?: boolean;
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
  'person',
  'subject',
  'applicant',
  'beneficiary',
  'insured',
  'policyholder',
  'cardholder',
  'borrower',
  'resident',
  'citizen',
  'donor',
  'voter',
];
const numberWords = ['id', 'no', 'number', 'num', 'uuid', 'key'];

const health = { en: 'a health', zh: '健康資料' };
const specialCategory = {
  en: 'a religion, ethnicity, sexuality, union membership or criminal record',
  zh: '宗教、種族、性取向、工會會籍或刑事紀錄',
};
const financial = { en: 'a financial', zh: '財務資料' };

const nameRules: NameRule[] = [
  {
    id: 'identity-card',
    classification: 'identifier',
    what: { en: 'an HKID or identity card number', zh: '香港身份證或身份證明文件號碼' },
    phrases: words(
      'hkid',
      'id card',
      'idcard',
      'identity card',
      'identity number',
      'national id',
      'nationalid',
      'ssn',
      'social security',
      'resident id',
      'citizen id',
      'bir',
      'macao id',
      'macau id',
    ),
    chinese: ['身份證', '身份证', '身分證', '證件號碼', '证件号码'],
  },
  {
    id: 'passport',
    classification: 'identifier',
    what: { en: 'a passport number', zh: '護照號碼' },
    phrases: words('passport'),
    chinese: ['護照', '护照'],
  },
  {
    id: 'driving-licence',
    classification: 'identifier',
    what: { en: "a driver's licence number", zh: '駕駛執照號碼' },
    phrases: words(
      'driver licence',
      'driver license',
      'drivers licence',
      'drivers license',
      'driving licence',
      'driving license',
      'driver s licence',
      'driver s license',
      'dl no',
      'dl number',
      'licence holder',
    ),
    exactly: words('drivers', 'driver', 'dl'),
    chinese: ['駕駛執照', '駕照', '驾驶证', '驾照', '車牌'],
  },
  {
    id: 'account-number',
    classification: 'identifier',
    what: { en: 'an account or card number', zh: '戶口或信用卡號碼' },
    phrases: [
      ...words(
        'account no',
        'account number',
        'account num',
        'accountno',
        'accountnumber',
        'acct no',
        'iban',
        'bank account',
      ),
      ...words('card no', 'card number', 'cardno', 'cardnumber', 'credit card', 'pan'),
    ],
    chinese: ['帳號', '賬號', '帳戶號碼', '賬戶號碼', '账号', '银行卡', '信用卡號碼', '信用卡号码'],
  },
  {
    id: 'medical-record-number',
    classification: 'identifier',
    what: { en: 'a medical record number', zh: '病歷號碼' },
    phrases: words('mrn', 'medical record', 'hospital number', 'hospital no', 'case no', 'case number', 'hn'),
    chinese: ['病歷號', '病历号', '病人編號', '病人编号'],
  },
  {
    id: 'person-id',
    classification: 'identifier',
    what: { en: "a person's identifier", zh: '個人識別碼' },
    phrases: [
      ...personWords.flatMap((p) => numberWords.map((n) => [p, n])),
      ...words('customerid', 'patientid', 'memberid', 'userid', 'staffid', 'employeeid', 'studentid'),
    ],
    // A column called `patient` in a clinical file holds the patient's key.
    exactly: words('patient', 'customer', 'member', 'client', 'subject', 'person', 'beneficiary', 'insured'),
    chinese: ['會員編號', '客戶編號', '員工編號', '學生編號', '会员编号', '客户编号'],
  },
  {
    id: 'health',
    classification: 'sensitive',
    what: health,
    phrases: words(
      'diagnosis',
      'diagnoses',
      'icd',
      'icd9',
      'icd10',
      'snomed',
      'medication',
      'medications',
      'medicine',
      'drug',
      'drugs',
      'prescription',
      'rxnorm',
      'ndc',
      'atc',
      'procedure',
      'procedures',
      'allergy',
      'allergies',
      'allergen',
      'symptom',
      'symptoms',
      'disease',
      'disorder',
      'treatment',
      'lab result',
      'blood',
      'hiv',
      'vaccine',
      'vaccination',
      'immunization',
      'immunisation',
      'disability',
      'pregnancy',
      'mental health',
    ),
    unless: ['legal', 'court', 'tender', 'complaint', 'application', 'admin', 'administrative'],
    chinese: [
      '診斷',
      '诊断',
      '病歷',
      '病历',
      '藥物',
      '药物',
      '處方',
      '处方',
      '手術',
      '手术',
      '過敏',
      '过敏',
      '疾病',
      '病症',
      '病情',
      '症狀',
      '症状',
      '疫苗',
      '殘疾',
      '残疾',
    ],
  },
  {
    id: 'health',
    classification: 'sensitive',
    what: health,
    phrases: words('condition', 'conditions'),
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
      'payment',
      'contract',
      'loan',
    ],
  },
  {
    id: 'financial',
    classification: 'sensitive',
    what: financial,
    phrases: words('salary', 'income', 'credit score', 'creditscore', 'debt'),
    chinese: ['薪金', '薪酬', '入息'],
  },
  {
    id: 'financial',
    classification: 'sensitive',
    what: financial,
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
    id: 'special-category',
    classification: 'sensitive',
    what: specialCategory,
    phrases: words(
      'religion',
      'religious',
      'faith',
      'ethnicity',
      'ethnic',
      'sexual',
      'criminal',
      'conviction',
      'union member',
      'union membership',
      'trade union',
      'union status',
      'political',
    ),
    chinese: ['宗教', '信仰', '種族', '种族', '犯罪', '刑事', '工會', '工会', '政治聯繫', '性取向'],
    isQuasiIdentifier: true,
  },
  {
    id: 'special-category',
    classification: 'sensitive',
    what: specialCategory,
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
    isQuasiIdentifier: true,
  },
  {
    id: 'email',
    classification: 'personal',
    what: { en: 'an e-mail', zh: '電郵地址' },
    phrases: words('email', 'e mail', 'emailaddress'),
    chinese: ['電郵', '电邮', '郵箱', '邮箱'],
  },
  {
    id: 'phone',
    classification: 'personal',
    what: { en: 'a phone number', zh: '電話號碼' },
    phrases: words('phone', 'telephone', 'tel', 'mobile', 'fax', 'phoneno', 'mobileno'),
    unless: ['app', 'network', 'operator', 'data', 'coverage'],
    chinese: ['電話', '手機', '傳真', '电话', '手机'],
  },
  {
    id: 'person-name',
    classification: 'personal',
    what: { en: "a person's name", zh: '個人姓名' },
    phrases: words(
      'fullname',
      'full name',
      'firstname',
      'first name',
      'lastname',
      'last name',
      'surname',
      'surnames',
      'givenname',
      'given name',
      'given names',
      'familyname',
      'family name',
      'maiden',
      'maidenname',
      'middle name',
      'middlename',
      'forename',
      'forenames',
      'nickname',
      'english name',
      'chinese name',
      ...personWords.map((p) => `${p} name`),
      'contact name',
      'contact person',
      'name of person',
    ),
    exactly: words('first', 'last', 'middle', 'given'),
    unless: nameUnless(),
    isTextOnly: true,
    chinese: ['姓名', '姓氏', '名字', '英文名', '中文名', '別名', '联系人', '聯絡人'],
  },
  {
    id: 'address',
    classification: 'personal',
    what: { en: 'an address', zh: '地址' },
    phrases: words('address', 'addr', 'residence', 'street address', 'home'),
    unless: ['mac', 'web', 'server', 'host', 'memory', 'ip', 'page', 'team', 'ground'],
    chinese: ['地址', '住址', '住所'],
  },
  {
    id: 'postcode',
    classification: 'personal',
    what: { en: 'a postcode', zh: '郵政編碼' },
    phrases: words('postcode', 'post code', 'postal code', 'postalcode', 'zip', 'zipcode', 'zip code'),
    chinese: ['郵編', '邮编', '郵政編碼', '邮政编码'],
    isQuasiIdentifier: true,
  },
  {
    id: 'gender',
    classification: 'personal',
    what: { en: 'a gender', zh: '性別' },
    phrases: words('gender', 'sex'),
    chinese: ['性別', '性别'],
    isQuasiIdentifier: true,
  },
  {
    id: 'age',
    classification: 'personal',
    what: { en: 'an age', zh: '年齡' },
    phrases: words('age'),
    unless: [
      'building',
      'asset',
      'vehicle',
      'tree',
      'equipment',
      'fleet',
      'plant',
      'pipe',
      'bridge',
      'group',
    ],
    chinese: ['年齡', '年龄'],
    isQuasiIdentifier: true,
  },
  {
    id: 'marital-status',
    classification: 'personal',
    what: { en: 'a marital status or nationality', zh: '婚姻狀況或國籍' },
    phrases: words('marital', 'nationality', 'birthplace', 'place of birth'),
    chinese: ['婚姻', '國籍', '国籍', '籍貫'],
    isQuasiIdentifier: true,
  },
];

for (const rule of nameRules) ruleClassification.set(rule.id, rule.classification);

/** Neighbours that say a name is a thing's, not a person's (`building_name`, `product name`). */
function nameUnless(): string[] {
  return [
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
  ];
}

/** Not personal on their own, but with birth date and sex they narrow a row down to a few people. */
const quasiOnlyWords = ['district', 'region', 'subdistrict', 'constituency', 'county', 'zone'];

/** Names that say nothing on their own: `name`, `names`, `display_name`, `supplier_name`. */
const ambiguousNameWords = ['name', 'names'];

/**
 * A person's name by the column's name alone (`surname`, `姓名`) or by its values (`Chan Tai Man`).
 * A column called just `name` is decided by its values when it has any: product names stay public.
 */
function personNameFindings(
  columnName: string,
  words: string[],
  values: string[],
  names: PersonNames | undefined,
): Finding[] {
  const what = { en: "people's names", zh: '個人姓名' };
  const share = names ? shareMatching(values, (v) => looksLikePersonName(v, names)) : null;
  const found: Finding[] = [];
  if (share !== null) found.push(valueFinding('personal', 'person-name-values', what, share));
  const isAmbiguousName =
    words.some((w) => ambiguousNameWords.includes(w)) &&
    !nameUnless().some((w) => words.includes(w)) &&
    !/名稱|名称/.test(columnName);
  const isChineseBareName = columnName === '姓' || columnName === '名';
  if (isChineseBareName) {
    found.push(nameFinding('personal', 'person-name', { en: "a person's name", zh: '個人姓名' }));
  } else if (isAmbiguousName && share === null) {
    const hasEnoughValues = names !== undefined && values.length >= minimumSamples;
    if (!hasEnoughValues)
      found.push(nameFinding('personal', 'person-name', { en: "a person's name", zh: '個人姓名' }));
  }
  return found;
}

function matchesName(rule: NameRule, nameWords: string[], name: string): boolean {
  if (rule.chinese?.some((c) => name.includes(c))) return true;
  if (rule.unless?.some((w) => nameWords.includes(w))) return false;
  if (rule.exactly?.some((phrase) => phrase.join(' ') === nameWords.join(' '))) return true;
  return rule.phrases.some((phrase) => containsRun(nameWords, phrase));
}

function containsRun(haystack: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= haystack.length; i++) {
    if (run.every((w, j) => haystack[i + j] === w)) return true;
  }
  return false;
}

// ---- dates of birth ------------------------------------------------------------------------------

const birthPhrases = words('dob', 'yob', 'birth', 'birthday', 'birthdate', 'dateofbirth', 'birthyear');
/** `birth_rate`, `births_registered` are statistics about births, not someone's birthday. */
const birthUnless = ['rate', 'rates', 'count', 'counts', 'total', 'number', 'registrations', 'registered'];
const birth = { en: 'a date of birth', zh: '出生日期' };

function birthFinding(
  column: { name: string; type: string },
  words: string[],
  values: string[],
  now: Date,
): Finding | null {
  const isBirthName =
    column.name.includes('出生') ||
    (!birthUnless.some((w) => words.includes(w)) && birthPhrases.some((p) => containsRun(words, p)));
  if (!isBirthName) return null;
  if (/^(DATE|TIMESTAMP)/.test(column.type)) {
    return {
      classification: 'personal',
      explanation: {
        rule: 'birth-date',
        share: null,
        en: 'name suggests a date of birth and the column holds dates',
        'zh-HK': '欄名顯示為出生日期，而欄內為日期',
      },
    };
  }
  const share = shareMatching(values, (v) => isPlausibleBirthDate(v, now));
  if (share !== null) {
    const percent = Math.round(share * 100);
    return {
      classification: 'personal',
      explanation: {
        rule: 'birth-date',
        share,
        en: `${percent}% of sampled values are dates 0–120 years in the past and the name mentions birth`,
        'zh-HK': `${percent}% 的抽樣值為 0 至 120 年前的日期，而欄名提及出生`,
      },
    };
  }
  return {
    classification: 'personal',
    explanation: {
      rule: 'birth-date',
      share: null,
      en: 'name suggests a date of birth',
      'zh-HK': `欄名顯示為${birth.zh}`,
    },
  };
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
  id: string;
  classification: Classification;
  /** Completes "N% of sampled values look like …". */
  what: What;
  test: (value: string) => boolean;
  /** Only for columns of these DuckDB types. */
  types?: RegExp;
  /** A further condition on all the values once the share is reached. */
  holds?: (values: string[]) => boolean;
}

const valueRules: ValueRule[] = [
  {
    id: 'hkid',
    classification: 'identifier',
    what: { en: 'HKID numbers', zh: '香港身份證號碼' },
    test: isHkid,
  },
  {
    id: 'resident-id',
    classification: 'identifier',
    what: { en: 'Mainland resident identity numbers', zh: '內地居民身份證號碼' },
    test: isResidentIdNumber,
  },
  {
    id: 'macao-id',
    classification: 'identifier',
    what: { en: 'Macao identity card numbers', zh: '澳門身份證號碼' },
    test: isMacaoIdNumber,
  },
  {
    id: 'ssn',
    classification: 'identifier',
    what: { en: 'US Social Security numbers', zh: '美國社會安全號碼' },
    test: isSocialSecurityNumber,
  },
  {
    id: 'card-number',
    classification: 'identifier',
    what: { en: 'payment card numbers (valid Luhn digit)', zh: '支付卡號碼（Luhn 校驗碼正確）' },
    test: isCardNumber,
  },
  {
    id: 'bank-account',
    classification: 'identifier',
    what: { en: 'bank account numbers', zh: '銀行戶口號碼' },
    // IBANs, and Hong Kong accounts written bank-branch-account (`004-123456-001`, `012-345-6-789012`).
    test: (v) => isIban(v) || /^\d{3}-\d{3}-\d{1,2}-?\d{5,7}$|^\d{3}-\d{6}-\d{3}$/.test(v),
  },
  {
    id: 'medical-record-number',
    classification: 'identifier',
    what: { en: 'medical record numbers', zh: '病歷號碼' },
    test: (v) => /^(MRN|HN|MR)[-\s]?\d{5,10}[A-Z0-9]?$/i.test(v),
  },
  {
    id: 'icd10',
    classification: 'sensitive',
    what: { en: 'ICD-10 diagnosis codes', zh: 'ICD-10 診斷編碼' },
    test: (v) => /^[A-TV-Z]\d{2}(?:\.\d{1,4}|\d{1,2})?[A-Z]?$/.test(v),
    // Room and building codes (`A12`, `B05`) have the same shape; diagnoses come with decimals or
    // spread over many chapters (letters).
    holds: (values) =>
      values.filter((v) => /\./.test(v)).length >= values.length * 0.3 ||
      new Set(values.map((v) => v[0])).size >= 4,
  },
  {
    id: 'icd9',
    classification: 'sensitive',
    what: { en: 'ICD-9 diagnosis codes', zh: 'ICD-9 診斷編碼' },
    test: (v) => /^(?:\d{3}|V\d{2}|E\d{3})(?:\.\d{1,2})?$/.test(v),
    // As numbers (250.00) they would be read as DOUBLE; codes stay text for their leading zeros and V/E codes.
    types: /^VARCHAR/,
    holds: (values) => values.some((v) => /^(V|E|0)/.test(v) || /\./.test(v)),
  },
  {
    id: 'snomed',
    classification: 'sensitive',
    what: {
      en: 'SNOMED CT concept ids (valid Verhoeff digit)',
      zh: 'SNOMED CT 概念編號（Verhoeff 校驗碼正確）',
    },
    test: isSnomedId,
  },
  {
    id: 'drug-code',
    classification: 'sensitive',
    what: { en: 'drug codes (NDC or ATC)', zh: '藥物編碼（NDC 或 ATC）' },
    test: (v) => /^\d{4,5}-\d{3,4}-\d{1,2}$/.test(v) || /^[A-NPR-V]\d{2}[A-Z]{2}\d{2}$/.test(v),
  },
  {
    id: 'health-terms',
    classification: 'sensitive',
    what: {
      en: 'diagnoses, conditions, medications, procedures or allergies',
      zh: '診斷、病況、藥物、醫療程序或過敏',
    },
    test: isHealthTerm,
  },
  {
    id: 'religion-values',
    classification: 'sensitive',
    what: { en: 'religions', zh: '宗教' },
    test: (v) => religionPattern.test(v),
  },
  {
    id: 'email-values',
    classification: 'personal',
    what: { en: 'e-mail addresses', zh: '電郵地址' },
    test: (v) => /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(v),
  },
  {
    id: 'phone-values',
    classification: 'personal',
    what: { en: 'Hong Kong phone numbers', zh: '香港電話號碼' },
    test: isHongKongPhone,
  },
  {
    id: 'address-values',
    classification: 'personal',
    what: { en: 'street addresses', zh: '街道地址' },
    test: isStreetAddress,
  },
  {
    id: 'coordinate-values',
    classification: 'personal',
    what: { en: 'precise latitude/longitude pairs', zh: '精確經緯度' },
    test: (v) => {
      const match = /^\(?(-?\d{1,2}\.\d{4,})\s*[,;]\s*(-?\d{1,3}\.\d{4,})\)?$/.exec(v);
      return match !== null && Math.abs(Number(match[1])) <= 90 && Math.abs(Number(match[2])) <= 180;
    },
  },
  {
    id: 'postcode-values',
    classification: 'personal',
    what: { en: 'UK-style postcodes', zh: '英式郵政編碼' },
    test: (v) => /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/.test(v),
  },
];

for (const rule of valueRules) ruleClassification.set(rule.id, rule.classification);
ruleClassification.set('person-name', 'personal');
ruleClassification.set('person-name-values', 'personal');
ruleClassification.set('birth-date', 'personal');
ruleClassification.set('coordinates', 'personal');
ruleClassification.set('unique-key', 'identifier');

const minimumSamples = 3;
const minimumShare = 0.6;

/** The share of values passing `test`, or null when too few samples or too few matches. */
function shareMatching(values: string[], test: (value: string) => boolean): number | null {
  if (values.length < minimumSamples) return null;
  const share = values.filter(test).length / values.length;
  return share >= minimumShare ? share : null;
}

/**
 * Words of clinical records: diseases and findings, medicines and their forms, procedures and
 * allergies, in English, and in Chinese characters (matched anywhere, as Chinese has no spaces).
 * SNOMED CT descriptions end in a semantic tag such as `(disorder)` or `(finding)`.
 */
const healthWords = new RegExp(
  `\\b(?:${[
    'hypertension|hypertensive|diabetes|diabetic|asthma|bronchitis|pneumonia|influenza|covid-19|covid',
    'cancer|carcinoma|tumou?r|neoplasm|leuka?emia|lymphoma|melanoma|stroke|infarction|angina',
    'arrhythmia|fibrillation|heart failure|hepatitis|cirrhosis|hiv|tuberculosis',
    'depressive|anxiety|schizophrenia|bipolar|dementia|alzheimer\\S*|parkinson\\S*|epilepsy|migraine',
    'arthritis|osteoarthritis|osteoporosis|obesity|ana?emia|sinusitis|pharyngitis|otitis|dermatitis',
    'eczema|fracture|sprain|concussion|pregnancy|miscarriage|kidney disease|renal|gout',
    'hyperlipid(?:a)?emia|hypercholesterol(?:a)?emia|hypothyroidism|copd|emphysema|allergy|allergic',
    'disorder|syndrome|infection|disease|injury|laceration|appendicitis|cystitis|ulcer|sepsis',
    'mg|mcg|tablet|tablets|capsule|capsules|injection|injectable|inhaler|syringe',
    'amoxicillin|metformin|insulin|aspirin|paracetamol|acetaminophen|ibuprofen|atorvastatin',
    'simvastatin|lisinopril|amlodipine|omeprazole|salbutamol|albuterol|penicillin|prednisone',
    'warfarin|levothyroxine|hydrochlorothiazide|losartan|clopidogrel|naproxen|fluticasone',
    'cetirizine|loratadine|morphine|codeine|antibiotic\\S*',
    'surgery|surgical|\\w+ectomy|\\w+otomy|\\w+plasty|\\w+scopy|biopsy|transplant|dialysis',
    'chemotherapy|radiotherapy|vaccination|immuni[sz]ation|x-ray|mri|ct scan|ultrasound',
    'electrocardiogram|ecg|mammogram|colonoscopy|physiotherapy',
  ].join('|')})\\b|\\((?:disorder|finding|procedure|situation|substance|morphologic abnormality)\\)` +
    '|高血壓|高血压|糖尿病|哮喘|肺炎|流感|癌|腫瘤|肿瘤|中風|中风|心臟病|心脏病|肝炎|抑鬱|抑郁|焦慮|焦虑' +
    '|認知障礙|失智|癲癇|癫痫|關節炎|关节炎|骨折|手術|手术|切除|化療|化疗|透析|疫苗|過敏|过敏|藥丸|毫克|感染',
  'iu',
);

function isHealthTerm(value: string): boolean {
  return healthWords.test(value);
}

const religionPattern =
  /^(?:christian(?:ity)?|catholic|roman catholic|protestant|buddhis[tm]|taois[tm]|muslim|islam|hindu(?:ism)?|jewish|judaism|sikh(?:ism)?|atheist|agnostic|no religion|none|other|基督教|天主教|佛教|道教|伊斯蘭教|伊斯兰教|回教|印度教|猶太教|无宗教|無宗教|沒有宗教|其他)$/i;

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
