import type { CreateDatasetInput, DatasetEntry } from '../modules/catalog/datasets.js';
import type { Classification } from '../modules/catalog/schema.js';
import type { Principal } from '../modules/identity/principal.js';
import type { AttachInput, LabDetail, LabInput, LabService } from '../modules/lab/service.js';
import type { PlatformServices } from '../services.js';
import { demoModelPublished, type ModelSeedResult, seedDemoModel } from './lab-model.js';
import { demoPrincipal, mulberry32 } from './principal.js';
import { type CsvValue, ensureDemoDataset } from './publish.js';

/**
 * The demo's Data Lab: synthetic clinical records at the Science Park–Hospital Data Lab, synthetic
 * claims at Victoria Mutual that cite the same patient numbers for most of the hospital's patients,
 * and a clean room in which Sha Tin AI Labs joins the two on HMAC pseudonyms and sees only noisy
 * aggregates (docs/differential-privacy.md). Every value is drawn from a seeded PRNG: no real
 * patient, member or claim is behind any row, and every run produces the same files.
 */

interface DemoColumn<T> {
  name: keyof T & string;
  classification: Classification;
  description: string;
}

interface LabDemoDataset {
  /** Slug of the demo organisation that owns it. */
  publisher: 'hospital-data-lab' | 'victoria-mutual';
  metadata: CreateDatasetInput & { slug: string };
  columns: { name: string; classification: Classification; description: string }[];
  rows: (world: ClinicalWorld) => CsvValue[][];
  /** How it is taken into the demo lab; absent for a dataset the lab does not use. */
  attach?: Omit<AttachInput, 'datasetId'> & { name: string };
}

export interface LabSeedResult {
  /** Dataset slugs created by this run, and those found from an earlier one. */
  created: string[];
  existing: string[];
  lab: { id: string; name: string; created: boolean; datasets: string[] };
  /** A clean-room query the researcher can run as soon as the demo starts. */
  sampleQuery: string;
  /** The released model published as the API `diabetes-risk` (lab-model.ts). */
  model: ModelSeedResult;
}

export const patientCount = 5000;
export const encounterCount = 20_000;
export const claimCount = 8000;
/** Share of the hospital's patients who are Victoria Mutual members, cited by the same patient number. */
export const insuredShare = 0.6;

/**
 * The 18 districts weighted by resident population (2021 census, in thousands): a public hospital's
 * catchment follows where people live.
 */
const districtWeights: [string, number][] = [
  ['Central and Western', 235],
  ['Wan Chai', 167],
  ['Eastern', 529],
  ['Southern', 263],
  ['Yau Tsim Mong', 310],
  ['Sham Shui Po', 431],
  ['Kowloon City', 410],
  ['Wong Tai Sin', 407],
  ['Kwun Tong', 673],
  ['Kwai Tsing', 495],
  ['Tsuen Wan', 320],
  ['Tuen Mun', 506],
  ['Yuen Long', 668],
  ['North', 310],
  ['Tai Po', 316],
  ['Sha Tin', 692],
  ['Sai Kung', 489],
  ['Islands', 185],
];

/** Hospital patients are older than the population: ten-to-fifteen-year bands with their weights. */
const ageBands: [number, number, number][] = [
  [0, 14, 8],
  [15, 29, 9],
  [30, 44, 14],
  [45, 59, 22],
  [60, 74, 27],
  [75, 89, 17],
  [90, 102, 3],
];

const chapters = {
  infectious: 'I Certain infectious and parasitic diseases',
  neoplasms: 'II Neoplasms',
  endocrine: 'IV Endocrine, nutritional and metabolic diseases',
  mental: 'V Mental and behavioural disorders',
  circulatory: 'IX Diseases of the circulatory system',
  respiratory: 'X Diseases of the respiratory system',
  digestive: 'XI Diseases of the digestive system',
  musculoskeletal: 'XIII Diseases of the musculoskeletal system and connective tissue',
  genitourinary: 'XIV Diseases of the genitourinary system',
} as const;

interface Condition {
  code: string;
  description: string;
  chapter: string;
  isChronic: boolean;
  /** Probability that a patient carries it, given what is already known of them. */
  chance: (patient: { age: number; sex: 'F' | 'M'; hba1c: number; codes: string[] }) => number;
}

const ramp = (age: number, from: number, to: number) => Math.min(1, Math.max(0, (age - from) / (to - from)));

/**
 * The relationship planted for the lab's models (docs/data-lab.md, "The demo model"): the log-odds of
 * a type 2 diabetes diagnosis are linear in age and in the HbA1c measured at registration, with these
 * true coefficients, and depend on nothing else. A model trained on the patients recovers them.
 */
export const plantedDiabetes = {
  intercept: -1 - 0.04 * 55 - 0.9 * 7,
  age: 0.04,
  hba1c: 0.9,
} as const;

/** P(E11 | age, HbA1c): the logistic of the planted log-odds. */
export function diabetesChance(age: number, hba1c: number): number {
  const logit = plantedDiabetes.intercept + plantedDiabetes.age * age + plantedDiabetes.hba1c * hba1c;
  return 1 / (1 + Math.exp(-logit));
}

/**
 * ICD-10 codes common in Hong Kong's hospital statistics, with rough age- and sex-dependent chances.
 * The order matters: CKD and stroke depend on diabetes and hypertension drawn before them.
 * Chronic viral hepatitis (B18) and liver cancer (C22) are here because hepatitis B is endemic in
 * Hong Kong; colorectal and lung cancer are its two most common cancers.
 */
const conditions: Condition[] = [
  {
    code: 'I10',
    description: 'Essential (primary) hypertension',
    chapter: chapters.circulatory,
    isChronic: true,
    chance: ({ age }) => 0.55 * ramp(age, 25, 85),
  },
  {
    code: 'E11',
    description: 'Type 2 diabetes mellitus',
    chapter: chapters.endocrine,
    isChronic: true,
    chance: ({ age, hba1c }) => diabetesChance(age, hba1c),
  },
  {
    code: 'E78',
    description: 'Disorders of lipoprotein metabolism (hyperlipidaemia)',
    chapter: chapters.endocrine,
    isChronic: true,
    chance: ({ age, codes }) => 0.25 * ramp(age, 30, 75) + (codes.includes('E11') ? 0.2 : 0),
  },
  {
    code: 'I25',
    description: 'Chronic ischaemic heart disease',
    chapter: chapters.circulatory,
    isChronic: true,
    chance: ({ age, sex, codes }) =>
      (sex === 'M' ? 0.16 : 0.09) * ramp(age, 45, 90) + (codes.includes('E11') ? 0.04 : 0),
  },
  {
    code: 'N18',
    description: 'Chronic kidney disease',
    chapter: chapters.genitourinary,
    isChronic: true,
    chance: ({ age, codes }) =>
      0.04 * ramp(age, 40, 90) + (codes.includes('E11') ? 0.1 : 0) + (codes.includes('I10') ? 0.04 : 0),
  },
  {
    code: 'J44',
    description: 'Other chronic obstructive pulmonary disease',
    chapter: chapters.respiratory,
    isChronic: true,
    chance: ({ age, sex }) => (sex === 'M' ? 0.12 : 0.03) * ramp(age, 50, 85),
  },
  {
    code: 'B18',
    description: 'Chronic viral hepatitis',
    chapter: chapters.infectious,
    isChronic: true,
    chance: ({ age }) => (age >= 18 ? 0.07 : 0.01),
  },
  {
    code: 'I63',
    description: 'Cerebral infarction',
    chapter: chapters.circulatory,
    isChronic: false,
    chance: ({ age, codes }) => 0.05 * ramp(age, 55, 90) + (codes.includes('I10') ? 0.02 : 0),
  },
  {
    code: 'C18',
    description: 'Malignant neoplasm of colon',
    chapter: chapters.neoplasms,
    isChronic: false,
    chance: ({ age }) => 0.02 * ramp(age, 45, 85),
  },
  {
    code: 'C34',
    description: 'Malignant neoplasm of bronchus and lung',
    chapter: chapters.neoplasms,
    isChronic: false,
    chance: ({ age, sex }) => (sex === 'M' ? 0.022 : 0.012) * ramp(age, 50, 85),
  },
  {
    code: 'C50',
    description: 'Malignant neoplasm of breast',
    chapter: chapters.neoplasms,
    isChronic: false,
    chance: ({ age, sex }) => (sex === 'F' ? 0.03 * ramp(age, 35, 70) : 0),
  },
  {
    code: 'C22',
    description: 'Malignant neoplasm of liver and intrahepatic bile ducts',
    chapter: chapters.neoplasms,
    isChronic: false,
    chance: ({ age, codes }) => 0.004 * ramp(age, 40, 80) + (codes.includes('B18') ? 0.03 : 0),
  },
  {
    code: 'J18',
    description: 'Pneumonia, organism unspecified',
    chapter: chapters.respiratory,
    isChronic: false,
    chance: ({ age }) => 0.02 + 0.1 * ramp(age, 65, 95),
  },
  {
    code: 'K21',
    description: 'Gastro-oesophageal reflux disease',
    chapter: chapters.digestive,
    isChronic: false,
    chance: ({ age }) => (age >= 18 ? 0.08 : 0.01),
  },
  {
    code: 'F32',
    description: 'Depressive episode',
    chapter: chapters.mental,
    isChronic: false,
    chance: ({ age, sex }) => (age >= 15 ? (sex === 'F' ? 0.07 : 0.04) : 0.01),
  },
  {
    code: 'M17',
    description: 'Gonarthrosis (arthrosis of knee)',
    chapter: chapters.musculoskeletal,
    isChronic: false,
    chance: ({ age, sex }) => (sex === 'F' ? 0.2 : 0.12) * ramp(age, 50, 85),
  },
];
const conditionByCode = new Map(conditions.map((condition) => [condition.code, condition]));

// ---- the synthetic world ------------------------------------------------------------------------

export interface ClinicalPatient {
  patient_id: string;
  age: number;
  sex: 'F' | 'M';
  district: string;
  chronic_condition: boolean;
  /** HbA1c (%) measured at registration: with age, what the planted diabetes risk depends on. */
  hba1c: number;
  /** Whether the patient carries a type 2 diabetes diagnosis (E11). */
  diabetes: boolean;
  /** ICD-10 codes the patient carries: the source of their diagnoses, encounters, results and claims. */
  codes: string[];
}

export interface ClinicalEncounter {
  patient_id: string;
  encounter_date: string;
  setting: 'outpatient' | 'inpatient' | 'emergency';
  length_of_stay_days: number;
}

export interface ClinicalDiagnosis {
  patient_id: string;
  icd10_code: string;
  description: string;
  chapter: string;
  diagnosed_on: string;
}

export interface ClinicalLabResult {
  patient_id: string;
  test: string;
  value: number;
  unit: string;
  taken_on: string;
}

export interface InsuranceClaim {
  patient_id: string;
  claim_type: string;
  amount_hkd: number;
  claim_year: number;
}

export interface ClinicalWorld {
  patients: ClinicalPatient[];
  encounters: ClinicalEncounter[];
  diagnoses: ClinicalDiagnosis[];
  labResults: ClinicalLabResult[];
  claims: InsuranceClaim[];
}

type Random = () => number;

/** Draws items in proportion to their weights: cumulative weights once, then a binary search per draw. */
function weightedPicker<T>(items: readonly T[], weightOf: (item: T) => number): (random: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weightOf(item);
    cumulative.push(total);
  }
  return (random) => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

const weighted = <T>(random: Random, items: readonly T[], weightOf: (item: T) => number): T =>
  weightedPicker(items, weightOf)(random);

/** A standard normal draw (Box–Muller); 1 − u keeps log() away from 0. */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const day = 86_400_000;
const periodStart = Date.UTC(2023, 0, 1);
const periodDays = 731; // 2023 and 2024 (a leap year)
const dateAfter = (start: number, days: number) => new Date(start + days * day).toISOString().slice(0, 10);
const dateIn2023To2024 = (random: Random) => dateAfter(periodStart, Math.floor(random() * periodDays));

/** Unique patient numbers: HN and eight digits, drawn at random so they carry no order. */
function patientNumbers(random: Random, count: number, taken: Set<string>): string[] {
  const numbers: string[] = [];
  while (numbers.length < count) {
    const id = `HN${String(Math.floor(random() * 100_000_000)).padStart(8, '0')}`;
    if (taken.has(id)) continue;
    taken.add(id);
    numbers.push(id);
  }
  return numbers;
}

export function clinicalPatients(count = patientCount): ClinicalPatient[] {
  const random = mulberry32(0x4e_2023_01);
  // Its own stream, so the HbA1c draws leave every other draw of the patients where it was.
  const glycaemic = mulberry32(0x4e_2023_06);
  const ids = patientNumbers(random, count, new Set());
  return ids.map((patient_id) => {
    const [low, high] = weighted(random, ageBands, (band) => band[2]);
    const age = low + Math.floor(random() * (high - low + 1));
    // Women are a little over half of Hong Kong's population and more so among the old.
    const sex = random() < (age >= 75 ? 0.58 : 0.53) ? 'F' : 'M';
    const district = weighted(random, districtWeights, ([, weight]) => weight)[0];
    // Around 5.8% with a long right tail, as in a hospital population; never below 4%.
    const hba1c = round1(Math.max(4, 5.8 + 0.9 * gaussian(glycaemic)));
    const codes: string[] = [];
    for (const condition of conditions) {
      if (random() < condition.chance({ age, sex, hba1c, codes })) codes.push(condition.code);
    }
    const chronic_condition = codes.some((code) => conditionByCode.get(code)!.isChronic);
    return {
      patient_id,
      age,
      sex,
      district,
      chronic_condition,
      hba1c,
      diabetes: codes.includes('E11'),
      codes,
    };
  });
}

/** One row per code a patient carries; chronic ones were diagnosed years ago, the rest in 2023–2024. */
function clinicalDiagnoses(patients: ClinicalPatient[]): ClinicalDiagnosis[] {
  const random = mulberry32(0x4e_2023_02);
  return patients.flatMap((patient) =>
    patient.codes.map((code) => {
      const condition = conditionByCode.get(code)!;
      const yearsBack = condition.isChronic
        ? Math.floor(random() * Math.min(15, Math.max(1, patient.age / 4)))
        : 0;
      const diagnosed = dateAfter(periodStart - yearsBack * 365 * day, Math.floor(random() * periodDays));
      return {
        patient_id: patient.patient_id,
        icd10_code: code,
        description: condition.description,
        chapter: condition.chapter,
        diagnosed_on: diagnosed,
      };
    }),
  );
}

/** Encounters go to the patients who need care most: the old and those with more conditions. */
function clinicalEncounters(patients: ClinicalPatient[], count = encounterCount): ClinicalEncounter[] {
  const random = mulberry32(0x4e_2023_03);
  const pickPatient = weightedPicker(
    patients,
    (patient) => 1 + 1.5 * patient.codes.length + patient.age / 40,
  );
  const encounters: ClinicalEncounter[] = [];
  for (let i = 0; i < count; i++) {
    const patient = pickPatient(random);
    const admitChance = 0.04 + 0.08 * ramp(patient.age, 50, 90) + 0.02 * patient.codes.length;
    const draw = random();
    const setting = draw < admitChance ? 'inpatient' : draw < admitChance + 0.14 ? 'emergency' : 'outpatient';
    // Stays are skewed: most a few days, some weeks, longer for the old (mean around six days).
    const stay =
      setting === 'inpatient'
        ? Math.max(1, Math.round(-Math.log(1 - random()) * (3 + 5 * ramp(patient.age, 40, 90))))
        : 0;
    encounters.push({
      patient_id: patient.patient_id,
      encounter_date: dateIn2023To2024(random),
      setting,
      length_of_stay_days: stay,
    });
  }
  return encounters.sort(
    (a, b) => a.encounter_date.localeCompare(b.encounter_date) || a.patient_id.localeCompare(b.patient_id),
  );
}

/**
 * Cardiometabolic tests, all in % or mmol/L so that one clamping bound in the lab ([0, 20]) fits
 * every one of them. eGFR (mL/min/1.73 m², up to about 120) is left out on purpose: under the
 * same bound its values would be cut to 20.
 */
const labTests = {
  hba1c: { test: 'HbA1c', unit: '%' },
  glucose: { test: 'Fasting glucose', unit: 'mmol/L' },
  ldl: { test: 'LDL cholesterol', unit: 'mmol/L' },
  cholesterol: { test: 'Total cholesterol', unit: 'mmol/L' },
} as const;

function clinicalLabResults(patients: ClinicalPatient[]): ClinicalLabResult[] {
  const random = mulberry32(0x4e_2023_04);
  const results: ClinicalLabResult[] = [];
  const add = (patient: ClinicalPatient, kind: keyof typeof labTests, value: number, takenOn: string) =>
    results.push({
      patient_id: patient.patient_id,
      ...labTests[kind],
      value: round1(Math.max(kind === 'hba1c' ? 4 : 1, value)),
      taken_on: takenOn,
    });
  for (const patient of patients) {
    if (patient.age < 18) continue;
    const isDiabetic = patient.codes.includes('E11');
    const hasLipidRisk = ['E78', 'I25', 'E11', 'I63'].some((code) => patient.codes.includes(code));
    // People with diabetes are tested every few months; others now and then at a check-up.
    const glycaemic = isDiabetic ? 2 + Math.floor(random() * 4) : random() < 0.4 ? 1 : 0;
    for (let i = 0; i < glycaemic; i++) {
      const takenOn = dateIn2023To2024(random);
      add(
        patient,
        'hba1c',
        isDiabetic ? 7.6 + 1.3 * gaussian(random) : 5.6 + 0.4 * gaussian(random),
        takenOn,
      );
      if (random() < 0.6) {
        add(
          patient,
          'glucose',
          isDiabetic ? 8.4 + 2 * gaussian(random) : 5.1 + 0.6 * gaussian(random),
          takenOn,
        );
      }
    }
    const lipid = hasLipidRisk ? 1 + Math.floor(random() * 3) : random() < 0.3 ? 1 : 0;
    for (let i = 0; i < lipid; i++) {
      const takenOn = dateIn2023To2024(random);
      // Treated patients (on statins) sit lower than the untested general population.
      const ldl = (hasLipidRisk ? 2.6 : 3.2) + 0.8 * gaussian(random);
      add(patient, 'ldl', ldl, takenOn);
      add(patient, 'cholesterol', ldl + 1.9 + 0.5 * gaussian(random), takenOn);
    }
  }
  return results.sort(
    (a, b) => a.taken_on.localeCompare(b.taken_on) || a.patient_id.localeCompare(b.patient_id),
  );
}

const claimTypes: { type: string; weight: number; median: number; spread: number; isForChronic?: boolean }[] =
  [
    { type: 'general outpatient', weight: 40, median: 650, spread: 0.4 },
    { type: 'specialist outpatient', weight: 18, median: 1500, spread: 0.35 },
    { type: 'diagnostic imaging', weight: 8, median: 4200, spread: 0.6 },
    { type: 'chronic medication', weight: 18, median: 1200, spread: 0.6, isForChronic: true },
    { type: 'day surgery', weight: 7, median: 22_000, spread: 0.5 },
    { type: 'inpatient', weight: 9, median: 65_000, spread: 0.8 },
  ];

/**
 * Victoria Mutual's claims: members are 60% of the hospital's patients (cited by the same patient
 * number) and, for every five of them, three more treated elsewhere. Members with more conditions claim more often
 * and more for chronic medication.
 */
export function insuranceClaims(patients: ClinicalPatient[], count = claimCount): InsuranceClaim[] {
  const random = mulberry32(0x4e_2023_05);
  const insured = patients.filter(() => random() < insuredShare);
  const others = patientNumbers(
    random,
    Math.round(insured.length * 0.6),
    new Set(patients.map((patient) => patient.patient_id)),
  );
  const members = [
    ...insured.map((patient) => ({ id: patient.patient_id, codes: patient.codes, age: patient.age })),
    ...others.map((id) => ({ id, codes: [] as string[], age: 20 + Math.floor(random() * 60) })),
  ];
  const pickMember = weightedPicker(members, (member) => 1 + member.codes.length + member.age / 50);
  const claims: InsuranceClaim[] = [];
  for (let i = 0; i < count; i++) {
    // Every member claims at least once (so 60% of the hospital's patients are in the claims), the
    // rest go to those who need care most.
    const member = i < members.length ? members[i]! : pickMember(random);
    const isChronic = member.codes.some((code) => conditionByCode.get(code)!.isChronic);
    const kind = weighted(random, claimTypes, (t) => (t.isForChronic && !isChronic ? 0 : t.weight));
    const amount = kind.median * Math.exp(kind.spread * gaussian(random));
    claims.push({
      patient_id: member.id,
      claim_type: kind.type,
      amount_hkd: Math.round(amount),
      claim_year: random() < 0.5 ? 2023 : 2024,
    });
  }
  return claims.sort((a, b) => a.claim_year - b.claim_year || a.patient_id.localeCompare(b.patient_id));
}

export function clinicalWorld(): ClinicalWorld {
  const patients = clinicalPatients();
  return {
    patients,
    encounters: clinicalEncounters(patients),
    diagnoses: clinicalDiagnoses(patients),
    labResults: clinicalLabResults(patients),
    claims: insuranceClaims(patients),
  };
}

// ---- datasets and the lab -----------------------------------------------------------------------

function rowsOf<T>(columns: DemoColumn<T>[], records: T[]): CsvValue[][] {
  return records.map((record) => columns.map((column) => record[column.name] as CsvValue));
}

const patientIdColumn = {
  name: 'patient_id',
  classification: 'identifier',
  description: 'the hospital patient number (HN and eight digits): singles out the patient',
} as const;

const patientColumns: DemoColumn<ClinicalPatient>[] = [
  patientIdColumn,
  { name: 'age', classification: 'personal', description: 'age in years at 1 January 2023' },
  { name: 'sex', classification: 'personal', description: 'F or M, as registered' },
  { name: 'district', classification: 'personal', description: 'Hong Kong district of residence' },
  {
    name: 'chronic_condition',
    classification: 'sensitive',
    description: 'true when the patient has a chronic diagnosis (diabetes, hypertension, CKD, COPD…)',
  },
  { name: 'hba1c', classification: 'sensitive', description: 'HbA1c (%) measured at registration' },
  {
    name: 'diabetes',
    classification: 'sensitive',
    description: 'true when the patient has a type 2 diabetes diagnosis (ICD-10 E11)',
  },
];

const encounterColumns: DemoColumn<ClinicalEncounter>[] = [
  patientIdColumn,
  { name: 'encounter_date', classification: 'personal', description: 'date of the attendance or admission' },
  { name: 'setting', classification: 'sensitive', description: 'outpatient, emergency or inpatient' },
  {
    name: 'length_of_stay_days',
    classification: 'sensitive',
    description: 'days admitted; 0 for outpatient and emergency attendances',
  },
];

const diagnosisColumns: DemoColumn<ClinicalDiagnosis>[] = [
  patientIdColumn,
  { name: 'icd10_code', classification: 'sensitive', description: 'ICD-10 category, e.g. E11' },
  { name: 'description', classification: 'sensitive', description: 'the ICD-10 category’s title' },
  { name: 'chapter', classification: 'sensitive', description: 'the ICD-10 chapter, numbered in Roman' },
  { name: 'diagnosed_on', classification: 'sensitive', description: 'date the diagnosis was first recorded' },
];

const labResultColumns: DemoColumn<ClinicalLabResult>[] = [
  patientIdColumn,
  {
    name: 'test',
    classification: 'sensitive',
    description: 'HbA1c, fasting glucose, LDL or total cholesterol',
  },
  { name: 'value', classification: 'sensitive', description: 'the result, in the unit of the next column' },
  { name: 'unit', classification: 'sensitive', description: '% for HbA1c, mmol/L for the others' },
  { name: 'taken_on', classification: 'sensitive', description: 'date the sample was taken' },
];

const claimColumns: DemoColumn<InsuranceClaim>[] = [
  {
    name: 'patient_id',
    classification: 'identifier',
    description: 'the member’s hospital patient number, as cited on the claim: singles out the member',
  },
  { name: 'claim_type', classification: 'sensitive', description: 'what the claim paid for' },
  { name: 'amount_hkd', classification: 'sensitive', description: 'amount paid, HK$' },
  { name: 'claim_year', classification: 'personal', description: 'year of the treatment claimed' },
];

const synthetic =
  'The data is synthetic: generated for the demo from a seeded generator, with no real patient behind ' +
  'any row, but shaped like the real thing, so it is never open and is used only inside the Data Lab.';

const hospitalMetadata: Pick<CreateDatasetInput, 'licence' | 'themes' | 'updateFrequency' | 'spatial'> = {
  licence: 'proprietary',
  themes: ['health'],
  updateFrequency: 'monthly',
  spatial: ['hong-kong'],
};

export const labDemoDatasets: LabDemoDataset[] = [
  {
    publisher: 'hospital-data-lab',
    metadata: {
      ...hospitalMetadata,
      slug: 'clinical_patients',
      title: 'Clinical patients (synthetic)',
      description: `Patients of the hospital: age, sex, district of residence, a chronic-condition flag, HbA1c at registration and a type 2 diabetes flag. ${synthetic}`,
      keywords: ['patients', 'clinical', 'demographics', 'synthetic'],
      themes: ['health', 'population'],
      temporalStart: '2023-01-01',
      temporalEnd: '2024-12-31',
    },
    columns: patientColumns,
    rows: (world) => rowsOf(patientColumns, world.patients),
    attach: {
      name: 'patients',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'district', 'chronic_condition', 'diabetes'],
      measures: { age: { lower: 0, upper: 110 }, hba1c: { lower: 3, upper: 20 } },
    },
  },
  {
    publisher: 'hospital-data-lab',
    metadata: {
      ...hospitalMetadata,
      slug: 'clinical_encounters',
      title: 'Clinical encounters 2023–2024 (synthetic)',
      description: `Outpatient, emergency and inpatient encounters in 2023 and 2024, with lengths of stay. ${synthetic}`,
      keywords: ['encounters', 'admissions', 'length of stay', 'clinical', 'synthetic'],
      temporalStart: '2023-01-01',
      temporalEnd: '2024-12-31',
    },
    columns: encounterColumns,
    rows: (world) => rowsOf(encounterColumns, world.encounters),
  },
  {
    publisher: 'hospital-data-lab',
    metadata: {
      ...hospitalMetadata,
      slug: 'clinical_diagnoses',
      title: 'Clinical diagnoses, ICD-10 (synthetic)',
      description: `Diagnoses recorded for the hospital's patients, coded in ICD-10 with their chapter. ${synthetic}`,
      keywords: ['diagnoses', 'icd-10', 'diabetes', 'hypertension', 'clinical', 'synthetic'],
      temporalStart: '2008-01-01',
      temporalEnd: '2024-12-31',
    },
    columns: diagnosisColumns,
    rows: (world) => rowsOf(diagnosisColumns, world.diagnoses),
    attach: {
      name: 'diagnoses',
      subjectColumn: 'patient_id',
      dimensions: ['icd10_code', 'chapter'],
      measures: {},
    },
  },
  {
    publisher: 'hospital-data-lab',
    metadata: {
      ...hospitalMetadata,
      slug: 'clinical_lab_results',
      title: 'Clinical laboratory results, cardiometabolic (synthetic)',
      description: `HbA1c, fasting glucose, LDL and total cholesterol results in 2023 and 2024. ${synthetic}`,
      keywords: ['laboratory', 'hba1c', 'cholesterol', 'glucose', 'clinical', 'synthetic'],
      temporalStart: '2023-01-01',
      temporalEnd: '2024-12-31',
    },
    columns: labResultColumns,
    rows: (world) => rowsOf(labResultColumns, world.labResults),
    attach: {
      name: 'lab_results',
      subjectColumn: 'patient_id',
      dimensions: ['test'],
      // Wide enough for every test here (HbA1c up to ~14%, glucose and lipids in mmol/L), narrow
      // enough that a mean over a few thousand results keeps its first decimal under the noise.
      measures: { value: { lower: 0, upper: 20 } },
    },
  },
  {
    publisher: 'victoria-mutual',
    metadata: {
      slug: 'insurance_claims',
      title: 'Health insurance claims 2023–2024 (synthetic)',
      description:
        'Claims paid to Victoria Mutual’s health members in 2023 and 2024, by type and amount. Claims cite the ' +
        'member’s hospital patient number, so in the Data Lab they join the hospital’s records on a pseudonym. ' +
        synthetic,
      licence: 'proprietary',
      keywords: ['claims', 'health insurance', 'synthetic'],
      themes: ['health', 'finance'],
      updateFrequency: 'monthly',
      spatial: ['hong-kong'],
      temporalStart: '2023-01-01',
      temporalEnd: '2024-12-31',
    },
    columns: claimColumns,
    rows: (world) => rowsOf(claimColumns, world.claims),
    attach: {
      name: 'claims',
      subjectColumn: 'patient_id',
      dimensions: ['claim_type', 'claim_year'],
      measures: { amount_hkd: { lower: 0, upper: 50_000 } },
    },
  },
];

export const demoLabSettings: LabInput & { name: string } = {
  name: 'Diabetes and cardiometabolic outcomes',
  description:
    'How diabetes, hypertension and their complications show in hospital care and insurance claims across ' +
    'Hong Kong’s districts. Clinical records from the hospital and claims from Victoria Mutual, joined on ' +
    'pseudonyms; researchers see noisy aggregates of groups of at least ten patients.',
  minGroupSize: 10,
  epsilonBudget: 3,
  defaultEpsilon: 0.5,
  maxRowsPerSubject: 5,
};

const labPartners: { slug: string; role: 'data-owner' | 'researcher' }[] = [
  { slug: 'victoria-mutual', role: 'data-owner' },
  { slug: 'shatin-ai-labs', role: 'researcher' },
];

export const demoLabSampleQuery =
  'SELECT p.district, count(DISTINCT subject_key) AS patients, avg(c.amount_hkd) AS mean_claim ' +
  'FROM patients p JOIN claims c USING (subject_key) GROUP BY p.district';

/** The lab by its name among the owner's own labs, created when there is none. */
async function ensureLab(labs: LabService, owner: Principal): Promise<{ detail: LabDetail; isNew: boolean }> {
  const found = (await labs.list(owner)).find(
    (lab) => lab.orgId === owner.orgId && lab.name === demoLabSettings.name,
  );
  if (found) return { detail: await labs.get(owner, found.id), isNew: false };
  return { detail: await labs.create(owner, demoLabSettings), isNew: true };
}

/**
 * Seeds the clinical and claims datasets, the demo lab and its published model (lab-model.ts); needs
 * the demo community. Idempotent:
 * datasets are found by slug, the lab by name at the hospital, members by organisation and lab
 * datasets by name, so a start after the first adds nothing, and one after an interrupted seed
 * finishes it.
 */
export async function seedDemoLab(platform: PlatformServices): Promise<LabSeedResult> {
  const { identity, datasets, labs } = platform;
  let built: ClinicalWorld | undefined;
  const world = () => {
    built ??= clinicalWorld();
    return built;
  };
  const owners = new Map<string, Principal>();
  const ownerOf = async (slug: string) => {
    if (!owners.has(slug)) owners.set(slug, await demoPrincipal(identity, slug));
    return owners.get(slug)!;
  };

  // The demo model's job needs a query worker: it starts while the datasets are written.
  if (!(await demoModelPublished(platform))) platform.labModels.warmUp();
  const created: string[] = [];
  const existing: string[] = [];
  const entries = new Map<string, DatasetEntry>();
  for (const spec of labDemoDatasets) {
    const { entry, isNew } = await ensureDemoDataset(datasets, await ownerOf(spec.publisher), {
      ...spec,
      rows: () => spec.rows(world()),
    });
    entries.set(spec.metadata.slug, entry);
    (isNew ? created : existing).push(spec.metadata.slug);
  }

  const hospital = await ownerOf('hospital-data-lab');
  const { detail, isNew } = await ensureLab(labs, hospital);
  const labId = detail.lab.id;
  for (const partner of labPartners) {
    const { orgId } = await ownerOf(partner.slug);
    if (!detail.members.some((member) => member.orgId === orgId)) {
      await labs.addMember(hospital, labId, { orgId, role: partner.role });
    }
  }
  for (const spec of labDemoDatasets) {
    if (!spec.attach || detail.datasets.some((dataset) => dataset.name === spec.attach!.name)) continue;
    await labs.attachDataset(await ownerOf(spec.publisher), labId, {
      ...spec.attach,
      datasetId: entries.get(spec.metadata.slug)!.dataset.id,
    });
  }
  const model = await seedDemoModel(platform, labId);
  return {
    created,
    existing,
    lab: {
      id: labId,
      name: detail.lab.name,
      created: isNew,
      datasets: labDemoDatasets.flatMap((spec) => (spec.attach ? [spec.attach.name] : [])),
    },
    sampleQuery: demoLabSampleQuery,
    model,
  };
}
