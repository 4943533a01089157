/**
 * The controlled vocabularies that open catalogues expect, and how the platform's own words map
 * onto them. DCAT-AP 3 (https://semiceu.github.io/DCAT-AP/releases/3.0.0/) asks for IRIs from the
 * EU Publications Office's authority tables (data themes, frequencies, file types) and licences as
 * IRIs; CKAN asks for licence titles and URLs. Unknown words are kept, under the platform's own IRIs.
 */

const euAuthority = 'http://publications.europa.eu/resource/authority';

export interface Licence {
  id: string;
  title: string;
  /** The licence text; null for a licence the platform does not know (e.g. "proprietary"). */
  url: string | null;
  isOpen: boolean;
}

/** SPDX ids the platform accepts as open (see `openLicences`), with their titles and canonical URLs. */
const knownLicences: Record<string, { title: string; url: string; isOpen: boolean }> = {
  'CC-BY-4.0': {
    title: 'Creative Commons Attribution 4.0',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    isOpen: true,
  },
  'CC-BY-SA-4.0': {
    title: 'Creative Commons Attribution Share-Alike 4.0',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    isOpen: true,
  },
  'CC0-1.0': {
    title: 'Creative Commons CCZero 1.0',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    isOpen: true,
  },
  'ODC-BY-1.0': {
    title: 'Open Data Commons Attribution License 1.0',
    url: 'https://opendatacommons.org/licenses/by/1-0/',
    isOpen: true,
  },
  'ODbL-1.0': {
    title: 'Open Data Commons Open Database License 1.0',
    url: 'https://opendatacommons.org/licenses/odbl/1-0/',
    isOpen: true,
  },
  'PDDL-1.0': {
    title: 'Open Data Commons Public Domain Dedication and License 1.0',
    url: 'https://opendatacommons.org/licenses/pddl/1-0/',
    isOpen: true,
  },
  'CC-BY-3.0': {
    title: 'Creative Commons Attribution 3.0',
    url: 'https://creativecommons.org/licenses/by/3.0/',
    isOpen: true,
  },
  'CC-BY-SA-3.0': {
    title: 'Creative Commons Attribution Share-Alike 3.0',
    url: 'https://creativecommons.org/licenses/by-sa/3.0/',
    isOpen: true,
  },
  'OGL-UK-3.0': {
    title: 'Open Government Licence v3.0',
    url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    isOpen: true,
  },
  'DL-DE-BY-2.0': {
    title: 'Data licence Germany – attribution – version 2.0',
    url: 'https://www.govdata.de/dl-de/by-2-0',
    isOpen: true,
  },
  'DL-DE-ZERO-2.0': {
    title: 'Data licence Germany – zero – version 2.0',
    url: 'https://www.govdata.de/dl-de/zero-2-0',
    isOpen: true,
  },
  'etalab-2.0': {
    title: 'Etalab Open License 2.0',
    url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    isOpen: true,
  },
};

/** A licence as catalogues show it; one the platform does not know is a named, non-open licence. */
export function licenceOf(id: string): Licence {
  const known = knownLicences[id];
  if (known) return { id, ...known };
  // A licence kept as its source's IRI (harvested, not in the table) links to that IRI.
  return { id, title: id, url: isIri(id) ? id : null, isOpen: false };
}

export const isIri = (value: string) => /^https?:\/\/[^\s<>"{}|\\^`]+$/i.test(value);

/** Every licence the platform knows, as CKAN's license_list names them. */
export function knownLicenceList(): Licence[] {
  return Object.entries(knownLicences).map(([id, known]) => ({ id, ...known }));
}

/** The SPDX IRI of a licence, which DCAT-AP prefers for dct:license. */
export function spdxIri(id: string): string | null {
  return knownLicences[id] ? `http://spdx.org/licenses/${id}` : null;
}

/** EU data themes (http://publications.europa.eu/resource/authority/data-theme) by the words providers use. */
const themeCodes: Record<string, string> = {
  agriculture: 'AGRI',
  fisheries: 'AGRI',
  food: 'AGRI',
  economy: 'ECON',
  finance: 'ECON',
  business: 'ECON',
  education: 'EDUC',
  culture: 'EDUC',
  sport: 'EDUC',
  energy: 'ENER',
  environment: 'ENVI',
  climate: 'ENVI',
  government: 'GOVE',
  'public-sector': 'GOVE',
  health: 'HEAL',
  international: 'INTR',
  justice: 'JUST',
  'public-safety': 'JUST',
  regions: 'REGI',
  cities: 'REGI',
  property: 'REGI',
  housing: 'REGI',
  society: 'SOCI',
  population: 'SOCI',
  science: 'TECH',
  technology: 'TECH',
  transport: 'TRAN',
};

export function themeIri(theme: string): string | null {
  const code = themeCodes[theme.toLowerCase()];
  return code ? `${euAuthority}/data-theme/${code}` : null;
}

/** EU frequencies (http://publications.europa.eu/resource/authority/frequency). */
const frequencyCodes: Record<string, string> = {
  continuous: 'CONT',
  'real-time': 'CONT',
  realtime: 'CONT',
  hourly: 'HOURLY',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  annual: 'ANNUAL',
  annually: 'ANNUAL',
  yearly: 'ANNUAL',
  irregular: 'IRREG',
  never: 'NEVER',
};

export function frequencyIri(frequency: string): string {
  const code = frequencyCodes[frequency.toLowerCase()] ?? 'UNKNOWN';
  return `${euAuthority}/frequency/${code}`;
}

/** A distribution's format: CKAN's format word, the EU file type and the IANA media type. */
export interface FileFormat {
  name: string;
  fileType: string;
  mediaType: string;
}

export const fileFormats = {
  parquet: {
    name: 'Parquet',
    fileType: `${euAuthority}/file-type/PARQUET`,
    mediaType: 'application/vnd.apache.parquet',
  },
  csv: { name: 'CSV', fileType: `${euAuthority}/file-type/CSV`, mediaType: 'text/csv' },
  json: { name: 'JSON', fileType: `${euAuthority}/file-type/JSON`, mediaType: 'application/json' },
  yaml: { name: 'YAML', fileType: `${euAuthority}/file-type/YAML`, mediaType: 'application/yaml' },
} as const satisfies Record<string, FileFormat>;

export function mediaTypeIri(mediaType: string): string {
  return `http://www.iana.org/assignments/media-types/${mediaType}`;
}

/** EU access rights: what a dataset's terms allow without an agreement. */
export function accessRightsIri(isOpen: boolean): string {
  return `${euAuthority}/access-right/${isOpen ? 'PUBLIC' : 'RESTRICTED'}`;
}

/** Places: Hong Kong as a whole by its GeoNames IRI; districts under the platform's own IRIs. */
export function placeIri(place: string, baseUrl: string): string {
  if (place.toLowerCase() === 'hong-kong') return 'https://sws.geonames.org/1819730/';
  return `${baseUrl}/catalog/places/${encodeURIComponent(place.toLowerCase().replace(/\s+/g, '-'))}`;
}
