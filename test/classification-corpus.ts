import type { ProfiledColumn } from '../src/modules/catalog/classify.js';
import { hkidCheckDigit } from '../src/modules/catalog/classify.js';
import { residentIdCheck, verhoeffCheckDigit } from '../src/modules/catalog/identifier-checks.js';
import type { Classification } from '../src/modules/catalog/schema.js';

/**
 * A labelled set of columns the classifier is measured against: files of the kinds hospitals,
 * banks and public bodies hold (patients and their diagnoses, bank customers, clinic records in
 * Chinese, product lists, weather and transport tables), each column labelled by hand with the
 * classification a careful provider would confirm. Values are generated from a seeded generator,
 * so the set is the same on every run; names of people come from the short lists below, written
 * for this test and not taken from the classifier's dictionaries.
 */
export interface LabelledColumn extends ProfiledColumn {
  file: string;
  label: Classification;
}

export interface LabelledFile {
  name: string;
  rowCount: number;
  columns: LabelledColumn[];
}

/** Mulberry32: a small seeded generator, so the corpus is reproducible. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
  return { next, int, pick, digits };
}
type Random = ReturnType<typeof generator>;

const givenEn = [
  'Olivia',
  'Emma',
  'Sophia',
  'Isabella',
  'Charlotte',
  'Amelia',
  'Grace',
  'Chloe',
  'Liam',
  'Noah',
  'Oliver',
  'James',
  'William',
  'Benjamin',
  'Lucas',
  'Henry',
  'Daniel',
  'Michael',
  'Sarah',
  'Rachel',
];
const surnameEn = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Taylor',
  'Anderson',
  'Thomas',
  'Moore',
  'Martin',
  'Thompson',
  'Harris',
  'Clark',
];
const surnameHk = [
  'Chan',
  'Wong',
  'Lee',
  'Cheung',
  'Lau',
  'Ng',
  'Ho',
  'Lam',
  'Leung',
  'Tsang',
  'Yip',
  'Chow',
];
const givenHk = ['Tai Man', 'Siu Ming', 'Ka Yan', 'Wing Sze', 'Chi Keung', 'Mei Ling', 'Kwok Wai', 'Hoi Yan'];
const namesZh = [
  '陳大文',
  '黃小明',
  '李嘉欣',
  '張志強',
  '劉美玲',
  '吳家豪',
  '何詠詩',
  '林偉文',
  '梁秀英',
  '歐陽志明',
];
const namesZhSimplified = ['王小明', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰'];
const districts = [
  'Sha Tin',
  'Kwun Tong',
  'Wan Chai',
  'Yuen Long',
  'Tai Po',
  'Eastern',
  'Sai Kung',
  'Islands',
];
const conditions = [
  'Hypertension',
  'Diabetes mellitus type 2',
  'Acute bronchitis (disorder)',
  'Asthma',
  'Viral sinusitis (disorder)',
  'Body mass index 30+ - obesity (finding)',
  'Osteoarthritis of knee',
  'Chronic kidney disease stage 2 (disorder)',
];
const snomedBodies = ['3834100', '4405400', '1050900', '19566200', '7321100', '23360400', '4484300'];
const medications = [
  'Metformin 500 MG Oral Tablet',
  'Amlodipine 5 MG Oral Tablet',
  'Insulin glargine injection',
  'Salbutamol inhaler',
  'Amoxicillin 250 MG Oral Capsule',
  'Atorvastatin 20 MG Oral Tablet',
];
const icd10 = ['I10', 'E11.9', 'J20.9', 'J45.909', 'M17.11', 'N18.2', 'K21.0', 'F32.9', 'C50.911', 'A09'];
const religions = ['Christian', 'Buddhist', 'Catholic', 'Taoist', 'Muslim', 'No religion'];
const products = [
  'Espresso Machine',
  'Bluetooth Speaker',
  'Office Chair',
  'Standing Desk',
  'Green Tea 500ml',
  'Rose Gold Watch',
  'Noise Cancelling Headphones',
  'Stainless Steel Bottle',
  'Wireless Mouse',
  'Mechanical Keyboard',
  'Desk Lamp',
  'Yoga Mat',
];
const facilities = [
  'Sha Tin Public Library',
  'Kwun Tong Swimming Pool',
  'Victoria Park',
  'Hong Kong Science Park',
  'Tai Po Sports Ground',
  'Wan Chai Sports Ground',
  'City Hall',
  'Kowloon Park',
];

function uuid(r: Random): string {
  const hex = (n: number) => Array.from({ length: n }, () => r.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}
function hkid(r: Random): string {
  const body = `${String.fromCharCode(65 + r.int(0, 25))}${r.digits(6)}`;
  return `${body}(${hkidCheckDigit(body)})`;
}
function residentId(r: Random): string {
  const body = `${r.pick(['110105', '440305', '310101'])}${r.int(1950, 2005)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}${r.digits(3)}`;
  return `${body}${residentIdCheck(body)}`;
}
function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = `${body}${d}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let digit = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        digit *= 2;
        if (digit > 9) digit -= 9;
      }
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  return body;
}
function cardNumber(r: Random): string {
  const number = luhnComplete(`4${r.digits(14)}`);
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}
function date(r: Random, from: number, to: number): string {
  return `${r.int(from, to)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
}
function hkName(r: Random): string {
  const style = r.int(0, 2);
  const surname = r.pick(surnameHk);
  const given = r.pick(givenHk);
  if (style === 0) return `${surname} ${given}`;
  if (style === 1) return `${surname.toUpperCase()} ${given}`;
  return `${r.pick(givenEn)} ${surname}`;
}
function snomed(r: Random): string {
  const body = r.pick(snomedBodies);
  return `${body}${verhoeffCheckDigit(body)}`;
}

type Spec = [
  name: string,
  type: string,
  label: Classification,
  value: (r: Random, row: number) => string | null,
];

function file(name: string, rowCount: number, seed: number, specs: Spec[]): LabelledFile {
  const r = generator(seed);
  const columns = specs.map(([columnName, type, label, value]) => {
    const values = Array.from({ length: rowCount }, (_, row) => value(r, row));
    const present = values.filter((v): v is string => v !== null);
    const distinct = [...new Set(present)];
    return {
      file: name,
      name: columnName,
      type,
      label,
      samples: distinct.slice(0, 200),
      distinct: distinct.length,
      nullCount: values.length - present.length,
    };
  });
  return { name, rowCount, columns };
}

/** The three spellings of column names providers use. */
type Style = 'snake' | 'camel' | 'upper';
function styled(name: string, style: Style): string {
  if (style === 'upper') return name.toUpperCase();
  if (style === 'camel') return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return name;
}

function patients(style: Style, seed: number): LabelledFile {
  const s = (n: string) => styled(n, style);
  return file(`patients-${style}`, 80, seed, [
    [s('id'), 'VARCHAR', 'identifier', (r) => uuid(r)],
    [s('birthdate'), 'DATE', 'personal', (r) => date(r, 1940, 2015)],
    [s('ssn'), 'VARCHAR', 'identifier', (r) => `${r.int(100, 665)}-${r.int(10, 99)}-${r.int(1000, 9999)}`],
    [s('drivers'), 'VARCHAR', 'identifier', (r) => `S999${r.digits(5)}`],
    [s('passport'), 'VARCHAR', 'identifier', (r) => `X${r.digits(8)}X`],
    [s('first'), 'VARCHAR', 'personal', (r) => r.pick(givenEn)],
    [s('last'), 'VARCHAR', 'personal', (r) => r.pick(surnameEn)],
    [s('maiden'), 'VARCHAR', 'personal', (r) => (r.next() < 0.5 ? r.pick(surnameEn) : null)],
    [s('marital'), 'VARCHAR', 'personal', (r) => r.pick(['M', 'S', 'D', 'W'])],
    [s('race'), 'VARCHAR', 'sensitive', (r) => r.pick(['asian', 'white', 'black', 'other'])],
    [s('ethnicity'), 'VARCHAR', 'sensitive', (r) => r.pick(['hispanic', 'nonhispanic'])],
    [s('gender'), 'VARCHAR', 'personal', (r) => r.pick(['M', 'F'])],
    [s('address'), 'VARCHAR', 'personal', (r) => `${r.int(1, 999)} ${r.pick(surnameEn)} Street`],
    [s('city'), 'VARCHAR', 'public', (r) => r.pick(['Boston', 'Worcester', 'Springfield', 'Lowell'])],
    [
      s('county'),
      'VARCHAR',
      'public',
      (r) => r.pick(['Suffolk County', 'Middlesex County', 'Worcester County']),
    ],
    [s('zip'), 'VARCHAR', 'personal', (r) => `0${r.int(1000, 2799)}`],
    [s('lat'), 'DOUBLE', 'personal', (r) => `42.${r.digits(6)}`],
    [s('lon'), 'DOUBLE', 'personal', (r) => `-71.${r.digits(6)}`],
    [s('income'), 'BIGINT', 'sensitive', (r) => String(r.int(10_000, 200_000))],
  ]);
}

function diagnoses(style: Style, seed: number): LabelledFile {
  const s = (n: string) => styled(n, style);
  return file(`conditions-${style}`, 120, seed, [
    [s('start'), 'DATE', 'public', (r) => date(r, 2000, 2024)],
    [s('patient'), 'VARCHAR', 'identifier', (r) => uuid(r)],
    [s('encounter'), 'VARCHAR', 'identifier', (r) => uuid(r)],
    [s('code'), 'BIGINT', 'sensitive', (r) => snomed(r)],
    [s('description'), 'VARCHAR', 'sensitive', (r) => r.pick(conditions)],
  ]);
}

function hkClinic(seed: number): LabelledFile {
  return file('clinic-zh', 60, seed, [
    ['病人編號', 'VARCHAR', 'identifier', (_r, row) => `P${String(10000 + row)}`],
    ['姓名', 'VARCHAR', 'personal', (r) => r.pick(namesZh)],
    ['身份證號碼', 'VARCHAR', 'identifier', (r) => hkid(r)],
    ['出生日期', 'DATE', 'personal', (r) => date(r, 1940, 2015)],
    ['性別', 'VARCHAR', 'personal', (r) => r.pick(['男', '女'])],
    ['地址', 'VARCHAR', 'personal', (r) => `九龍彌敦道${r.int(1, 500)}號${r.int(1, 30)}樓`],
    ['聯絡電話', 'VARCHAR', 'personal', (r) => `${r.pick(['9', '6', '5'])}${r.digits(3)} ${r.digits(4)}`],
    ['診斷', 'VARCHAR', 'sensitive', (r) => r.pick(['高血壓', '糖尿病', '哮喘', '肺炎'])],
    ['藥物', 'VARCHAR', 'sensitive', (r) => r.pick(['二甲雙胍', '胰島素', '阿莫西林'])],
    ['宗教', 'VARCHAR', 'sensitive', (r) => r.pick(['基督教', '佛教', '天主教', '無宗教'])],
    ['地區', 'VARCHAR', 'public', (r) => r.pick(['沙田', '觀塘', '灣仔', '元朗'])],
    ['就診日期', 'DATE', 'public', (r) => date(r, 2022, 2024)],
  ]);
}

function mainlandMembers(seed: number): LabelledFile {
  return file('members-zh-cn', 50, seed, [
    ['会员编号', 'BIGINT', 'identifier', (_r, row) => String(880000 + row)],
    ['姓名', 'VARCHAR', 'personal', (r) => r.pick(namesZhSimplified)],
    ['身份证号', 'VARCHAR', 'identifier', (r) => residentId(r)],
    ['手机', 'VARCHAR', 'personal', (r) => `13${r.digits(9)}`],
    ['城市', 'VARCHAR', 'public', (r) => r.pick(['深圳', '广州', '上海'])],
    ['积分', 'INTEGER', 'public', (r) => String(r.int(0, 5000))],
  ]);
}

function bankCustomers(style: Style, seed: number): LabelledFile {
  const s = (n: string) => styled(n, style);
  return file(`bank-${style}`, 60, seed, [
    [s('customer_id'), 'VARCHAR', 'identifier', (_r, row) => `C${String(100000 + row)}`],
    [s('full_name'), 'VARCHAR', 'personal', (r) => hkName(r)],
    [s('hkid'), 'VARCHAR', 'identifier', (r) => hkid(r)],
    [s('account_number'), 'VARCHAR', 'identifier', (r) => `004-${r.digits(6)}-${r.digits(3)}`],
    [s('card_no'), 'VARCHAR', 'identifier', (r) => cardNumber(r)],
    [s('email'), 'VARCHAR', 'personal', (r, row) => `${r.pick(surnameHk).toLowerCase()}${row}@example.com`],
    [
      s('mobile'),
      'VARCHAR',
      'personal',
      (r) => `+852 ${r.pick(['9', '6', '5'])}${r.digits(3)} ${r.digits(4)}`,
    ],
    [s('balance'), 'DOUBLE', 'sensitive', (r) => `${r.int(0, 900000)}.${r.digits(2)}`],
    [s('monthly_income'), 'BIGINT', 'sensitive', (r) => String(r.int(8000, 150000))],
    [s('district'), 'VARCHAR', 'public', (r) => r.pick(districts)],
    [s('branch_code'), 'VARCHAR', 'public', (r) => r.pick(['HK01', 'KL02', 'NT03'])],
    [s('opened_on'), 'DATE', 'public', (r) => date(r, 1995, 2024)],
  ]);
}

/** Columns with names that say nothing, recognised by their values alone. */
function valuesOnly(seed: number): LabelledFile {
  return file('values-only', 40, seed, [
    ['ref', 'VARCHAR', 'identifier', (r) => hkid(r)],
    ['doc', 'VARCHAR', 'identifier', (r) => residentId(r)],
    ['macao_doc', 'VARCHAR', 'identifier', (r) => `${r.pick(['1', '5', '7'])}${r.digits(6)}(${r.int(0, 9)})`],
    ['pay', 'VARCHAR', 'identifier', (r) => cardNumber(r)],
    ['us_ref', 'VARCHAR', 'identifier', (r) => `${r.int(100, 665)}-${r.int(10, 99)}-${r.int(1000, 9999)}`],
    [
      'iban_like',
      'VARCHAR',
      'identifier',
      (r) =>
        r.pick([
          'GB82 WEST 1234 5698 7654 32',
          'DE89 3704 0044 0532 0130 00',
          'NL91ABNA0417164300',
          'FR1420041010050500013M02606',
        ]),
    ],
    ['contact', 'VARCHAR', 'personal', (_r, row) => `user${row}@mail.example.hk`],
    ['who', 'VARCHAR', 'personal', (r) => hkName(r)],
    ['who_en', 'VARCHAR', 'personal', (r) => `${r.pick(givenEn)} ${r.pick(surnameEn)}`],
    ['who_zh', 'VARCHAR', 'personal', (r) => r.pick(namesZh)],
    [
      'where',
      'VARCHAR',
      'personal',
      (r) => `Flat ${r.pick(['A', 'B', 'C'])}, ${r.int(2, 40)}/F, Block ${r.int(1, 9)}`,
    ],
    ['pos', 'VARCHAR', 'personal', (r) => `22.${r.digits(5)}, 114.${r.digits(5)}`],
    ['dx', 'VARCHAR', 'sensitive', (r) => r.pick(icd10)],
    ['concept', 'BIGINT', 'sensitive', (r) => snomed(r)],
    ['rx', 'VARCHAR', 'sensitive', (r) => r.pick(medications)],
    ['ndc', 'VARCHAR', 'sensitive', (r) => `${r.digits(5)}-${r.digits(3)}-${r.digits(2)}`],
    ['atc', 'VARCHAR', 'sensitive', (r) => r.pick(['A10BA02', 'C08CA01', 'J01CA04', 'R03AC02'])],
    ['belief', 'VARCHAR', 'sensitive', (r) => r.pick(religions)],
    ['mrn_like', 'VARCHAR', 'identifier', (r) => `MRN${r.digits(7)}`],
  ]);
}

function medicationOrders(style: Style, seed: number): LabelledFile {
  const s = (n: string) => styled(n, style);
  return file(`orders-${style}`, 70, seed, [
    [s('mrn'), 'VARCHAR', 'identifier', (r) => `HN${r.digits(8)}`],
    [s('medication'), 'VARCHAR', 'sensitive', (r) => r.pick(medications)],
    [s('icd10_code'), 'VARCHAR', 'sensitive', (r) => r.pick(icd10)],
    [
      s('procedure'),
      'VARCHAR',
      'sensitive',
      (r) => r.pick(['Appendectomy', 'Colonoscopy', 'Knee arthroplasty']),
    ],
    [s('allergies'), 'VARCHAR', 'sensitive', (r) => r.pick(['Penicillin', 'Peanut', 'None known'])],
    [s('ordered_at'), 'TIMESTAMP', 'public', (r) => `${date(r, 2023, 2024)} 10:00:00`],
    [s('ward'), 'VARCHAR', 'public', (r) => r.pick(['5A', '6B', '7C', 'ICU'])],
    [s('quantity'), 'INTEGER', 'public', (r) => String(r.int(1, 90))],
  ]);
}

function staff(seed: number): LabelledFile {
  return file('staff', 40, seed, [
    ['employee_no', 'VARCHAR', 'identifier', (_r, row) => `E${String(5000 + row)}`],
    ['surname', 'VARCHAR', 'personal', (r) => r.pick(surnameHk)],
    ['given_name', 'VARCHAR', 'personal', (r) => r.pick(givenHk)],
    ['date_of_birth', 'VARCHAR', 'personal', (r) => date(r, 1960, 2000)],
    ['union_membership', 'BOOLEAN', 'sensitive', (r) => String(r.next() < 0.3)],
    ['religion', 'VARCHAR', 'sensitive', (r) => r.pick(religions)],
    ['salary', 'BIGINT', 'sensitive', (r) => String(r.int(15000, 120000))],
    ['department', 'VARCHAR', 'public', (r) => r.pick(['Finance', 'IT', 'Operations', 'Legal'])],
    ['grade', 'VARCHAR', 'internal', (r) => r.pick(['G1', 'G2', 'G3'])],
    ['age', 'INTEGER', 'personal', (r) => String(r.int(20, 65))],
  ]);
}

// ---- files that hold nothing about people ------------------------------------------------------

function productCatalogue(style: Style, seed: number): LabelledFile {
  const s = (n: string) => styled(n, style);
  return file(`products-${style}`, 60, seed, [
    [s('name'), 'VARCHAR', 'public', (r) => r.pick(products)],
    [s('sku'), 'VARCHAR', 'public', (_r, row) => `SKU-${String(1000 + row)}`],
    [s('price'), 'DOUBLE', 'public', (r) => `${r.int(10, 3000)}.${r.digits(2)}`],
    [s('category'), 'VARCHAR', 'public', (r) => r.pick(['Electronics', 'Furniture', 'Kitchen'])],
    [s('stock'), 'INTEGER', 'public', (r) => String(r.int(0, 500))],
    [s('brand'), 'VARCHAR', 'public', (r) => r.pick(['Acme', 'Globex', 'Initech'])],
    [s('launched_on'), 'DATE', 'public', (r) => date(r, 2015, 2024)],
  ]);
}

function facilitiesFile(seed: number): LabelledFile {
  return file('facilities', 30, seed, [
    ['facility_id', 'VARCHAR', 'public', (_r, row) => `F${String(100 + row)}`],
    ['name', 'VARCHAR', 'public', (r) => r.pick(facilities)],
    [
      'name_zh',
      'VARCHAR',
      'public',
      (r) => r.pick(['沙田公共圖書館', '觀塘游泳池', '維多利亞公園', '九龍公園']),
    ],
    ['district', 'VARCHAR', 'public', (r) => r.pick(districts)],
    ['latitude', 'DOUBLE', 'public', (r) => `22.${r.digits(2)}`],
    ['longitude', 'DOUBLE', 'public', (r) => `114.${r.digits(2)}`],
    ['opening_hours', 'VARCHAR', 'public', () => '07:00-22:00'],
  ]);
}

function weather(seed: number): LabelledFile {
  return file('weather', 90, seed, [
    ['station_id', 'VARCHAR', 'public', (r) => r.pick(['HKO', 'KP', 'SHA', 'TKL'])],
    ['station_name', 'VARCHAR', 'public', (r) => r.pick(['Hong Kong Observatory', 'King’s Park', 'Sha Tin'])],
    ['observed_at', 'TIMESTAMP', 'public', (r) => `${date(r, 2024, 2024)} 12:00:00`],
    ['temperature', 'DOUBLE', 'public', (r) => `${r.int(10, 35)}.${r.digits(1)}`],
    ['humidity', 'INTEGER', 'public', (r) => String(r.int(40, 100))],
    ['weather_condition', 'VARCHAR', 'public', (r) => r.pick(['Sunny', 'Cloudy', 'Rain', 'Thunderstorm'])],
    ['wind_direction', 'VARCHAR', 'public', (r) => r.pick(['N', 'NE', 'E', 'SE', 'S'])],
  ]);
}

function racing(seed: number): LabelledFile {
  return file('racing', 50, seed, [
    ['race_no', 'INTEGER', 'public', (r) => String(r.int(1, 10))],
    ['race_date', 'DATE', 'public', (r) => date(r, 2023, 2024)],
    [
      'horse_name',
      'VARCHAR',
      'public',
      (r) => r.pick(['Golden Sixty', 'Romantic Warrior', 'California Spangle']),
    ],
    ['venue', 'VARCHAR', 'public', (r) => r.pick(['Sha Tin', 'Happy Valley'])],
    ['race_class', 'VARCHAR', 'public', (r) => r.pick(['Class 1', 'Class 2', 'Group 1'])],
    ['distance_m', 'INTEGER', 'public', (r) => r.pick(['1200', '1600', '2000'])],
  ]);
}

function buildings(seed: number): LabelledFile {
  return file('buildings', 40, seed, [
    ['building_name', 'VARCHAR', 'public', (r) => r.pick(['Building 5W', 'Building 12E', 'Core Building 1'])],
    ['building_age', 'INTEGER', 'public', (r) => String(r.int(1, 40))],
    ['floor_area_m2', 'DOUBLE', 'public', (r) => `${r.int(500, 20000)}.0`],
    ['energy_balance', 'DOUBLE', 'public', (r) => `${r.int(-100, 100)}.${r.digits(1)}`],
    ['room_code', 'VARCHAR', 'public', (r) => `${r.pick(['A', 'B'])}${r.int(10, 30)}`],
    ['street', 'VARCHAR', 'public', (r) => r.pick(['Science Park Road', 'Science Park East Avenue'])],
    ['month', 'VARCHAR', 'public', (r) => `2024-${String(r.int(1, 12)).padStart(2, '0')}`],
  ]);
}

function companies(seed: number): LabelledFile {
  return file('companies', 40, seed, [
    ['company_name', 'VARCHAR', 'public', (r, row) => `${r.pick(['Acme', 'Globex', 'Nova'])} Labs ${row}`],
    ['registration_no', 'VARCHAR', 'public', (_r, row) => `CR${String(3000000 + row)}`],
    ['sector', 'VARCHAR', 'public', (r) => r.pick(['Biotech', 'AI', 'Fintech', 'Green tech'])],
    ['employees', 'INTEGER', 'public', (r) => String(r.int(2, 300))],
    ['founded_year', 'INTEGER', 'public', (r) => String(r.int(2000, 2024))],
    ['website', 'VARCHAR', 'public', (_r, row) => `https://company${row}.example.com`],
  ]);
}

function transport(seed: number): LabelledFile {
  return file('bus-stops', 60, seed, [
    ['route_no', 'VARCHAR', 'public', (r) => r.pick(['1A', '72', '272K', '82C'])],
    [
      'stop_name',
      'VARCHAR',
      'public',
      (r) => r.pick(['Science Park', 'University Station', 'Sha Tin Central']),
    ],
    ['stop_seq', 'INTEGER', 'public', (r) => String(r.int(1, 30))],
    ['fare', 'DOUBLE', 'public', (r) => `${r.int(3, 20)}.${r.digits(1)}`],
    ['operator', 'VARCHAR', 'public', (r) => r.pick(['KMB', 'CTB', 'NWFB'])],
  ]);
}

function diseaseStatistics(seed: number): LabelledFile {
  return file('notifiable-diseases', 40, seed, [
    ['week', 'INTEGER', 'public', (r) => String(r.int(1, 52))],
    ['year', 'INTEGER', 'public', (r) => String(r.int(2020, 2024))],
    ['cases', 'INTEGER', 'public', (r) => String(r.int(0, 300))],
    ['region', 'VARCHAR', 'public', (r) => r.pick(['Hong Kong Island', 'Kowloon', 'New Territories'])],
    ['age_group', 'VARCHAR', 'public', (r) => r.pick(['0-14', '15-64', '65+'])],
  ]);
}

function energy(seed: number): LabelledFile {
  return file('energy', 48, seed, [
    ['meter_id', 'VARCHAR', 'public', (r) => r.pick(['M-01', 'M-02', 'M-03'])],
    ['hour', 'INTEGER', 'public', (r) => String(r.int(0, 23))],
    ['kwh', 'DOUBLE', 'public', (r) => `${r.int(0, 900)}.${r.digits(2)}`],
    ['tariff', 'VARCHAR', 'public', (r) => r.pick(['peak', 'off-peak'])],
    ['carbon_kg', 'DOUBLE', 'public', (r) => `${r.int(0, 400)}.${r.digits(1)}`],
  ]);
}

/**
 * Columns written to be hard: free text, measurements and coordinates the rules do not know, and
 * public columns whose names collide with the rules. Some are expected misses; they keep the
 * figures honest.
 */
function hardCases(seed: number): LabelledFile {
  return file('hard-cases', 50, seed, [
    [
      'notes',
      'VARCHAR',
      'sensitive',
      (r) => r.pick(['Patient reports chest pain', 'Follow up in 2 weeks', 'Complains of dizziness']),
    ],
    [
      'emergency_contact',
      'VARCHAR',
      'personal',
      (r) => `${hkName(r)} (${r.pick(['mother', 'spouse', 'son'])})`,
    ],
    ['bmi', 'DOUBLE', 'sensitive', (r) => `${r.int(17, 38)}.${r.digits(1)}`],
    ['blood_pressure', 'VARCHAR', 'sensitive', (r) => `${r.int(100, 160)}/${r.int(60, 100)}`],
    ['hk1980_x', 'DOUBLE', 'personal', (r) => `8${r.digits(5)}.${r.digits(1)}`],
    ['ip_address', 'VARCHAR', 'personal', (r) => `203.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(0, 255)}`],
    ['nationality', 'VARCHAR', 'personal', (r) => r.pick(['Chinese', 'Filipino', 'Indonesian', 'British'])],
    ['postal_code', 'VARCHAR', 'personal', (r) => r.pick(['SW1A 1AA', 'EC1A 1BB', 'W1A 0AX', 'M1 1AE'])],
    ['holder', 'VARCHAR', 'personal', (r) => `${r.pick(givenEn)} ${r.pick(surnameEn)}`],
    ['condition', 'VARCHAR', 'public', (r) => r.pick(['New', 'Used - like new', 'Refurbished'])],
    ['family', 'VARCHAR', 'public', (r) => r.pick(['Rosaceae', 'Fabaceae', 'Poaceae'])],
    ['last', 'DOUBLE', 'public', (r) => `${r.int(10, 400)}.${r.digits(2)}`],
    ['first_seen', 'TIMESTAMP', 'public', (r) => `${date(r, 2024, 2024)} 08:00:00`],
    [
      'title',
      'VARCHAR',
      'public',
      (r) => r.pick(['Pride and Prejudice', 'Great Expectations', 'Little Women']),
    ],
    ['race_time', 'DOUBLE', 'public', (r) => `${r.int(60, 130)}.${r.digits(2)}`],
    ['home_team', 'VARCHAR', 'public', (r) => r.pick(['Kitchee', 'Eastern', 'Lee Man'])],
    [
      'service_procedure',
      'VARCHAR',
      'public',
      (r) => r.pick(['Apply online', 'Visit a counter', 'Post the form']),
    ],
  ]);
}

/** The whole labelled set: at least 200 columns, most of them from files about people. */
export function labelledFiles(): LabelledFile[] {
  const styles: Style[] = ['snake', 'camel', 'upper'];
  return [
    ...styles.map((style, i) => patients(style, 10 + i)),
    ...styles.map((style, i) => diagnoses(style, 20 + i)),
    hkClinic(30),
    mainlandMembers(31),
    ...styles.map((style, i) => bankCustomers(style, 40 + i)),
    valuesOnly(50),
    ...styles.slice(0, 2).map((style, i) => medicationOrders(style, 60 + i)),
    staff(70),
    ...styles.map((style, i) => productCatalogue(style, 80 + i)),
    facilitiesFile(90),
    weather(91),
    racing(92),
    buildings(93),
    companies(94),
    transport(95),
    diseaseStatistics(96),
    energy(97),
    hardCases(98),
  ];
}
