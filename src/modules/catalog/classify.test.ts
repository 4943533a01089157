import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  hkidCheckDigit,
  isHkid,
  nameWords,
  type ProfiledColumn,
  suggestClassification,
  suggestColumns,
} from './classify.js';
import {
  isResidentIdNumber,
  isSnomedId,
  passesLuhn,
  passesVerhoeff,
  residentIdCheck,
  verhoeffCheckDigit,
} from './identifier-checks.js';
import { loadPersonNames, type PersonNames } from './person-names.js';
import { classifications } from './schema.js';

const now = new Date('2025-06-01T00:00:00Z');
/** The suggestion and its English reasons (the explanations are checked on their own below). */
const suggest = (name: string, samples: string[] = [], type = 'VARCHAR') => {
  const { suggested, reasons } = suggestClassification({ name, type }, samples, { now });
  return { suggested, reasons };
};

describe('HKID check digit', () => {
  // Worked by hand: a space (36) pads a one-letter prefix, A=10 … Z=35, weights 9 … 2,
  // check = 11 − (sum mod 11), 10 → A, 11 → 0.
  it.each([
    // 36·9 + 10·8 + 1·7 + 2·6 + 3·5 + 4·4 + 5·3 + 6·2 = 481; 481 mod 11 = 8; 11 − 8 = 3
    ['A123456', '3'],
    // 10·9 + 11·8 + 9·7 + 8·6 + 7·5 + 6·4 + 5·3 + 4·2 = 371; 371 mod 11 = 8; 11 − 8 = 3
    ['AB987654', '3'],
    // 36·9 + 12·8 + 6·7 + 6·6 + 8·5 + 6·4 + 6·3 + 8·2 = 596; 596 mod 11 = 2; 11 − 2 = 9
    ['C668668', '9'],
    // 36·9 + 16·8 + 1·7 + 2·6 + 3·5 + 4·4 + 5·3 + 6·2 = 529; 529 mod 11 = 1; 11 − 1 = 10 → A
    ['G123456', 'A'],
    // 36·9 + 10·8 + 7·2 = 418 = 38·11; 11 − 0 = 11 → 0
    ['A000007', '0'],
    // 36·9 + 22·8 = 500; 500 mod 11 = 5; 11 − 5 = 6
    ['M000000', '6'],
  ])('%s has check digit %s', (body, check) => {
    expect(hkidCheckDigit(body)).toBe(check);
  });

  it.each([
    ['A123456(3)', true],
    ['A1234563', true],
    ['a123456(3)', true],
    ['A123456 (3)', true],
    ['AB987654(3)', true],
    ['G123456(A)', true],
    ['A000007(0)', true],
    ['A123456(4)', false],
    ['G123456(0)', false],
    ['A12345(3)', false],
    ['ABC123456(3)', false],
    ['A123456(B)', false],
    ['A123456(3', false],
    ['123456(3)', false],
  ])('isHkid(%s) is %s', (value, expected) => {
    expect(isHkid(value)).toBe(expected);
  });
});

describe('column name words', () => {
  it.each([
    ['customer_name', ['customer', 'name']],
    ['customerName', ['customer', 'name']],
    ['HKIDNumber', ['hkid', 'number']],
    ['dateOfBirth', ['date', 'of', 'birth']],
    ['e-mail', ['e', 'mail']],
    ['ICD10 Code', ['icd10', 'code']],
    ['出生日期', ['出生日期']],
  ])('%s splits into %j', (name, expected) => {
    expect(nameWords(name)).toEqual(expected);
  });
});

describe('suggested classification from the column name', () => {
  it.each([
    ['hkid', 'identifier', 'name looks like an HKID or identity card number column'],
    ['id_card', 'identifier', 'name looks like an HKID or identity card number column'],
    ['HKIDNumber', 'identifier', 'name looks like an HKID or identity card number column'],
    ['passport_no', 'identifier', 'name looks like a passport number column'],
    ['account_no', 'identifier', 'name looks like an account or card number column'],
    ['accountNumber', 'identifier', 'name looks like an account or card number column'],
    ['card_number', 'identifier', 'name looks like an account or card number column'],
    ['iban', 'identifier', 'name looks like an account or card number column'],
    ['customer_id', 'identifier', "name looks like a person's identifier column"],
    ['patientId', 'identifier', "name looks like a person's identifier column"],
    ['member_id', 'identifier', "name looks like a person's identifier column"],
    ['national_id', 'identifier', 'name looks like an HKID or identity card number column'],
    ['ssn', 'identifier', 'name looks like an HKID or identity card number column'],
    ['身份證號碼', 'identifier', 'name looks like an HKID or identity card number column'],
    ['diagnosis', 'sensitive', 'name looks like a health column'],
    ['icd10_code', 'sensitive', 'name looks like a health column'],
    ['medical_condition', 'sensitive', 'name looks like a health column'],
    ['lab_result', 'sensitive', 'name looks like a health column'],
    ['blood_type', 'sensitive', 'name looks like a health column'],
    ['hiv_status', 'sensitive', 'name looks like a health column'],
    ['monthly_salary', 'sensitive', 'name looks like a financial column'],
    ['householdIncome', 'sensitive', 'name looks like a financial column'],
    ['account_balance', 'sensitive', 'name looks like a financial column'],
    ['credit_score', 'sensitive', 'name looks like a financial column'],
    ['debt', 'sensitive', 'name looks like a financial column'],
    [
      'religion',
      'sensitive',
      'name looks like a religion, ethnicity, sexuality, union membership or criminal record column',
    ],
    [
      'race',
      'sensitive',
      'name looks like a religion, ethnicity, sexuality, union membership or criminal record column',
    ],
    [
      'sexual_orientation',
      'sensitive',
      'name looks like a religion, ethnicity, sexuality, union membership or criminal record column',
    ],
    [
      'criminal_record',
      'sensitive',
      'name looks like a religion, ethnicity, sexuality, union membership or criminal record column',
    ],
    ['email', 'personal', 'name looks like an e-mail column'],
    ['e_mail', 'personal', 'name looks like an e-mail column'],
    ['contact_phone', 'personal', 'name looks like a phone number column'],
    ['mobile', 'personal', 'name looks like a phone number column'],
    ['tel', 'personal', 'name looks like a phone number column'],
    ['name', 'personal', "name looks like a person's name column"],
    ['customer_name', 'personal', "name looks like a person's name column"],
    ['full_name', 'personal', "name looks like a person's name column"],
    ['firstName', 'personal', "name looks like a person's name column"],
    ['surname', 'personal', "name looks like a person's name column"],
    ['姓名', 'personal', "name looks like a person's name column"],
    ['home_address', 'personal', 'name looks like an address column'],
    ['addr', 'personal', 'name looks like an address column'],
    ['gender', 'personal', 'name looks like a gender column'],
    ['sex', 'personal', 'name looks like a gender column'],
    ['age', 'personal', 'name looks like an age column'],
    ['dob', 'personal', 'name suggests a date of birth'],
    ['date_of_birth', 'personal', 'name suggests a date of birth'],
  ] as const)('%s is %s', (name, suggested, reason) => {
    const result = suggest(name);
    expect(result.suggested).toBe(suggested);
    expect(result.reasons).toContain(reason);
  });

  it.each([
    // Whole words only: `dist` is not `district`, `name` is not `filename`, `tel` is not `hotel`.
    'district',
    'filename',
    'hotel',
    'usage',
    'sexton',
    // A neighbouring word says the name is not about a person.
    'district_name',
    'building_name',
    'file_name',
    'weather_condition',
    'energy_balance',
    'race_no',
    'building_age',
    'mac_address',
    'birth_rate',
    'mobile_network',
    // Plain public data.
    'station_id',
    'reading_kwh',
    'timestamp',
  ])('%s stays public', (name) => {
    expect(suggest(name)).toEqual({ suggested: 'public', reasons: [] });
  });
});

describe('suggested classification from the values', () => {
  it('flags HKID numbers with a valid check digit as identifiers', () => {
    const samples = ['A123456(3)', 'AB987654(3)', 'C668668(9)', 'G123456(A)', 'M000000(6)'];
    expect(suggest('ref', samples)).toEqual({
      suggested: 'identifier',
      reasons: ['100% of sampled values look like HKID numbers'],
    });
  });

  it('does not count HKID-shaped values whose check digit is wrong', () => {
    const samples = ['A123456(4)', 'AB987654(1)', 'C668668(0)', 'G123456(7)', 'M000000(2)'];
    expect(suggest('ref', samples).suggested).toBe('public');
  });

  it('needs 60% of the samples to match: 3 of 5 fires, 2 of 5 does not', () => {
    const valid = ['A123456(3)', 'AB987654(3)', 'C668668(9)'];
    expect(suggest('ref', [...valid, 'x', 'y']).reasons).toEqual([
      '60% of sampled values look like HKID numbers',
    ]);
    expect(suggest('ref', [...valid.slice(0, 2), 'x', 'y', 'z']).suggested).toBe('public');
  });

  it('needs at least 3 non-empty samples', () => {
    expect(suggest('ref', ['A123456(3)', 'C668668(9)']).suggested).toBe('public');
    expect(suggest('ref', ['A123456(3)', 'C668668(9)', '', '  ']).suggested).toBe('public');
  });

  it('flags e-mail addresses as personal', () => {
    const samples = ['chan.tai.man@example.com', 'mary@hkstp.org', 'x+y@mail.example.hk', 'not an email'];
    expect(suggest('contact', samples)).toEqual({
      suggested: 'personal',
      reasons: ['75% of sampled values look like e-mail addresses'],
    });
  });

  it.each([
    [['2345 6789', '9123-4567', '+852 6123 4567', '85251234567', '31234567'], true],
    [['+85291234567', '852-9123 4567', '3987 6543'], true],
    // 1 is not a Hong Kong first digit; 7 or 9 digits are not Hong Kong numbers.
    [['1234 5678', '1987 6543', '1123 4567'], false],
    [['2345678', '912345678', '23456 789'], false],
    // Compact dates have eight digits starting with 2 too.
    [['20240115', '20231231', '20250301'], false],
  ])('phone numbers %j are personal: %s', (samples, isPersonal) => {
    const result = suggest('contact', samples);
    expect(result.suggested).toBe(isPersonal ? 'personal' : 'public');
    if (isPersonal)
      expect(result.reasons[0]).toMatch(/% of sampled values look like Hong Kong phone numbers$/);
  });

  it.each([
    [
      'English',
      [
        'Flat A, 12/F, Block 3, Tai Koo Shing',
        '12 Nathan Road, Kowloon',
        'Room 1203, Tower 2',
        '8 Science Park East Avenue',
      ],
    ],
    ['Chinese', ['九龍彌敦道123號', '沙田科學園路8號', '香港仔華富邨華昌樓5樓', '中環皇后大道中99號']],
  ])('flags %s street addresses as personal', (_, samples) => {
    expect(suggest('location', samples)).toEqual({
      suggested: 'personal',
      reasons: ['100% of sampled values look like street addresses'],
    });
  });

  it('keeps bare street, building and district names public', () => {
    expect(suggest('location', ['Nathan Road', 'Queen’s Road Central', 'Science Park Road']).suggested).toBe(
      'public',
    );
    expect(suggest('location', ['彌敦道', '皇后大道中', '科學園路']).suggested).toBe('public');
    expect(suggest('location', ['Building 5W', 'Building 12E', 'Building 19W']).suggested).toBe('public');
    expect(suggest('district', ['Sha Tin', 'Yau Tsim Mong', 'Central and Western', '沙田']).suggested).toBe(
      'public',
    );
  });

  it('calls a date column named for birth a date of birth', () => {
    expect(suggest('birth_date', ['1985-03-02', '1990-12-31', '2001-07-15'], 'DATE').reasons).toEqual([
      'name suggests a date of birth and the column holds dates',
    ]);
    expect(suggest('DateOfBirth', ['02/03/1985', '31/12/1990', '15/07/2001'])).toEqual({
      suggested: 'personal',
      reasons: ['100% of sampled values are dates 0–120 years in the past and the name mentions birth'],
    });
    // Dates in the future or more than 120 years ago are not birthdays.
    expect(suggest('birth', ['2030-01-01', '1850-01-01', '2999-12-31']).reasons).toEqual([
      'name suggests a date of birth',
    ]);
  });

  it('does not call dates without a name about birth dates of birth', () => {
    expect(suggest('reading_date', ['1985-03-02', '1990-12-31', '2001-07-15'], 'DATE').suggested).toBe(
      'public',
    );
  });
});

describe('combining rules', () => {
  it('lets the most severe rule win and keeps every reason, most severe first', () => {
    const result = suggest('customer_email', ['A123456(3)', 'C668668(9)', 'M000000(6)']);
    expect(result.suggested).toBe('identifier');
    expect(result.reasons).toEqual([
      '100% of sampled values look like HKID numbers',
      'name looks like an e-mail column',
    ]);
  });

  it('suggests identifier over sensitive over personal from names alone', () => {
    expect(suggest('patient_id').suggested).toBe('identifier');
    expect(suggest('patient_diagnosis').suggested).toBe('sensitive');
    expect(suggest('patient_name').suggested).toBe('personal');
  });

  it('never throws and always returns one of the five classifications', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 30 }),
        (name, type, samples) => {
          const result = suggestClassification({ name, type }, samples);
          expect(classifications).toContain(result.suggested);
          expect(result.reasons.every((r) => typeof r === 'string' && r.length > 0)).toBe(true);
          if (result.suggested === 'public') expect(result.reasons).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('classifies mixes of real-looking values without throwing', () => {
    const value = fc.oneof(
      fc.constantFrom('A123456(3)', 'x@y.hk', '2345 6789', '12 Nathan Road', '1985-03-02', '彌敦道123號'),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('name', 'dob', 'hkid', 'notes', 'salary'),
        fc.array(value),
        (name, samples) => {
          expect(classifications).toContain(
            suggestClassification({ name, type: 'VARCHAR' }, samples).suggested,
          );
        },
      ),
    );
  });
});

describe('identity, card and account numbers by their check digits', () => {
  it.each([
    [
      'Mainland resident ids (ISO 7064 MOD 11-2)',
      ['11010519491231002X', '440305199001011234', '310101198506150019'],
      'identifier',
    ],
    ['US SSNs', ['123-45-6789', '234-56-7890', '345-67-8901'], 'identifier'],
    ['Macao BIR numbers', ['1234567(8)', '5123456(0)', '7/654321/2'], 'identifier'],
    [
      'card numbers with a valid Luhn digit',
      ['4111 1111 1111 1111', '5500-0000-0000-0004', '340000000000009'],
      'identifier',
    ],
    [
      'IBANs',
      ['GB82 WEST 1234 5698 7654 32', 'DE89 3704 0044 0532 0130 00', 'NL91ABNA0417164300'],
      'identifier',
    ],
    ['medical record numbers', ['MRN0012345', 'HN12345678', 'MRN-7654321'], 'identifier'],
  ] as const)('%s are identifiers', (_, samples, suggested) => {
    const fixed = samples.map((s) =>
      s.length === 18 && /^\d{17}/.test(s) ? `${s.slice(0, 17)}${residentIdCheck(s.slice(0, 17))}` : s,
    );
    expect(suggest('ref', fixed).suggested).toBe(suggested);
  });

  it.each([
    [
      'resident ids with a wrong check digit',
      ['110105194912310021', '440305199001011230', '310101198506150010'],
    ],
    ['SSNs never issued (000, 666, 9xx)', ['000-12-3456', '666-12-3456', '900-12-3456']],
    ['digit strings failing Luhn', ['4111 1111 1111 1112', '5500-0000-0000-0005', '340000000000008']],
    ['order numbers', ['ORD-2024-0001', 'ORD-2024-0002', 'ORD-2024-0003']],
  ])('%s stay public', (_, samples) => {
    expect(suggest('ref', samples).suggested).toBe('public');
  });

  it('computes the resident id check character by ISO 7064 MOD 11-2', () => {
    expect(residentIdCheck('11010519491231002')).toBe('X');
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
    expect(isResidentIdNumber('110105194913310020')).toBe(false);
  });

  it('passes SNOMED CT ids with a Verhoeff digit and a concept partition', () => {
    for (const id of ['38341003', '44054006', '195662009', '10509002']) expect(isSnomedId(id)).toBe(true);
    expect(isSnomedId('38341004')).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 99_999_999 }), (n) => {
        const body = `${n}00`;
        expect(passesVerhoeff(`${body}${verhoeffCheckDigit(body)}`)).toBe(true);
      }),
    );
  });

  it('Luhn: a single changed digit always fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 9 }), (at, delta) => {
        const valid = '4111111111111111';
        const changed = `${valid.slice(0, at)}${(Number(valid[at]) + delta) % 10}${valid.slice(at + 1)}`;
        expect(passesLuhn(valid)).toBe(true);
        expect(passesLuhn(changed)).toBe(false);
      }),
    );
  });
});

describe('names of people, and names of things', () => {
  let names: PersonNames;
  beforeAll(async () => {
    names = await loadPersonNames();
  });
  const withNames = (name: string, samples: string[], type = 'VARCHAR') =>
    suggestClassification({ name, type }, samples, { now, names });

  it.each([
    ['first', ['Olivia', 'Liam', 'Sophia']],
    ['LAST', ['Smith', 'Jones', 'Brown']],
    ['maiden_name', ['Taylor', 'Clark', 'Moore']],
    ['given_name', ['Tai Man', 'Siu Ming', 'Ka Yan']],
    ['姓', ['陳', '黃', '李']],
    ['名', ['大文', '小明', '嘉欣']],
  ])('a %s column is personal by its name', (name, samples) => {
    expect(withNames(name, samples).suggested).toBe('personal');
  });

  it.each([
    ['English', ['Mary Smith', 'James Brown', 'Grace Hopper', 'Olivia Taylor']],
    ['Hong Kong', ['Chan Tai Man', 'WONG Siu Ming', 'Lee Ka-yan', 'Peter Chan']],
    ['Chinese', ['陳大文', '黃小明', '李嘉欣', '歐陽志明']],
    ['pinyin', ['Wang Xiaoming', 'Zhang Wei', 'Liu Yang']],
  ])('a column of %s names is personal by its values', (_, samples) => {
    const result = withNames('holder', samples);
    expect(result.suggested).toBe('personal');
    expect(result.explanations[0]).toMatchObject({ rule: 'person-name-values', share: 1 });
    expect(result.explanations[0]!['zh-HK']).toBe('100% 的抽樣值看似個人姓名');
  });

  it.each([
    [
      'products',
      ['Espresso Machine', 'Bluetooth Speaker', 'Green Tea 500ml', 'Office Chair', 'Rose Gold Watch'],
    ],
    ['facilities', ['Sha Tin Public Library', 'Victoria Park', 'Kowloon Park', 'City Hall']],
    ['districts', ['Wong Tai Sin', 'Yuen Long', 'Sham Shui Po', 'Wan Chai', 'Ho Man Tin']],
    ['Chinese place names', ['沙田', '黃大仙', '觀塘', '灣仔']],
  ])('a `name` column of %s is not personal', (_, samples) => {
    expect(withNames('name', samples)).toMatchObject({ suggested: 'public', reasons: [] });
  });

  it('a numeric `last` is a price, not a surname', () => {
    expect(withNames('last', ['101.5', '99.2', '100.1'], 'DOUBLE').suggested).toBe('public');
  });
});

describe('health and special categories', () => {
  it.each([
    ['ICD-10 codes', ['I10', 'E11.9', 'J45.909', 'M17.11', 'C50.911']],
    ['ICD-9 codes', ['250.00', '401.9', 'V22.1', '042']],
    ['SNOMED CT ids', ['38341003', '44054006', '195662009', '10509002']],
    ['NDC drug codes', ['0002-3227-30', '50580-506-02', '0378-0208-01']],
    ['ATC drug codes', ['A10BA02', 'C08CA01', 'J01CA04']],
    ['condition names', ['Hypertension', 'Diabetes mellitus type 2', 'Acute bronchitis (disorder)']],
    ['medications', ['Metformin 500 MG Oral Tablet', 'Amlodipine 5 MG Oral Tablet', 'Salbutamol inhaler']],
    ['Chinese diagnoses', ['高血壓', '糖尿病', '哮喘']],
    ['religions', ['Christian', 'Buddhist', 'Taoist', 'Catholic']],
  ])('%s are sensitive by their values', (_, samples) => {
    expect(suggest('value', samples).suggested).toBe('sensitive');
  });

  it.each([
    'diagnosis',
    'medication',
    'procedure_code',
    'allergies',
    'religion',
    'union_membership',
    'trade_union',
    '藥物',
    '過敏',
    '工會',
  ])('%s is sensitive by its name', (name) => {
    expect(suggest(name).suggested).toBe('sensitive');
  });

  it.each([
    ['room codes', ['A12', 'B05', 'A13', 'B07']],
    ['prices as text', ['12.50', '8.00', '3.20']],
    ['admin procedures', ['Apply online', 'Visit a counter']],
  ])('%s are not diagnoses', (_, samples) => {
    expect(suggest('value', samples).suggested).toBe('public');
  });
});

describe('the file as a whole', () => {
  const profiled = (name: string, type: string, values: string[]): ProfiledColumn => ({
    name,
    type,
    samples: [...new Set(values)],
    distinct: new Set(values).size,
    nullCount: 0,
  });
  const rows = 40;
  const ids = Array.from(
    { length: rows },
    (_, i) => `c0a8${String(i).padStart(4, '0')}-1111-4222-a333-${String(i).padStart(12, '0')}`,
  );

  it('calls a unique key an identifier in a file about people, and not elsewhere', () => {
    const people = suggestColumns(
      [
        profiled('Id', 'VARCHAR', ids),
        profiled(
          'GENDER',
          'VARCHAR',
          ids.map((_, i) => (i % 2 ? 'M' : 'F')),
        ),
      ],
      rows,
      { now },
    );
    expect(people[0]).toMatchObject({ suggested: 'identifier' });
    expect(people[0]!.explanations[0]).toMatchObject({ rule: 'unique-key', share: 1 });
    const things = suggestColumns(
      [
        profiled('Id', 'VARCHAR', ids),
        profiled(
          'kwh',
          'DOUBLE',
          ids.map((_, i) => `${i}.5`),
        ),
      ],
      rows,
      { now },
    );
    expect(things[0]!.suggested).toBe('public');
  });

  it('flags a precise latitude/longitude pair, and not coordinates to two decimals', () => {
    const precise = suggestColumns(
      [
        profiled('LAT', 'DOUBLE', ['42.361145', '42.251234', '42.112233']),
        profiled('LON', 'DOUBLE', ['-71.057083', '-71.123456', '-71.654321']),
      ],
      3,
      { now },
    );
    expect(precise.map((s) => s.suggested)).toEqual(['personal', 'personal']);
    expect(precise[0]!.explanations[0]!['zh-HK']).toContain('經緯度');
    const coarse = suggestColumns(
      [
        profiled('latitude', 'DOUBLE', ['22.31', '22.38', '22.45']),
        profiled('longitude', 'DOUBLE', ['114.17', '114.19', '114.2']),
      ],
      3,
      { now },
    );
    expect(coarse.map((s) => s.suggested)).toEqual(['public', 'public']);
  });

  it('suggests birth date, sex, age, postcode and district as quasi-identifiers', () => {
    const result = suggestColumns(
      ['birth_date', 'sex', 'age', 'postcode', 'district', 'kwh'].map((name) =>
        profiled(name, 'VARCHAR', []),
      ),
      0,
      { now },
    );
    expect(result.map((s) => s.isQuasiIdentifier)).toEqual([true, true, true, true, true, false]);
  });
});
