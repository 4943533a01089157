/**
 * How the licences real portals name become the platform's: an SPDX id where one exists
 * (https://spdx.org/licenses/), from the forms harvested catalogues use — CKAN's licence ids
 * (`cc-by`, `uk-ogl`, `odc-odbl`…), licence URLs, SPDX IRIs, the EU Publications Office's licence
 * authority table (the IRIs DCAT-AP and the High-Value Datasets regulation ask for) and
 * DCAT-AP.de's licence vocabulary. Some licences are open but have no SPDX id (`other-open`,
 * Germany's `officialWork`): they stay as the source wrote them, open. A licence not in the table
 * is kept as given (its IRI where it has one), open when the source says it is, and reported by the
 * run as unmapped, so nothing open silently becomes agreement-only.
 */
export interface MappedLicence {
  /** The SPDX id, or the source's own IRI or id when the licence has none. */
  id: string;
  /** Whether the table says the licence is open (Open Definition conformant); null when it does not know. */
  isOpen: boolean | null;
  /** False when the table does not know the licence. */
  isMapped: boolean;
}

const eu = 'http://publications.europa.eu/resource/authority/licence/';
const dcatApDe = 'http://dcat-ap.de/def/licenses/';

/** SPDX ids of open licences, beyond those the catalogue names (see catalog/vocabularies.ts). */
const openSpdx = new Set([
  'CC-BY-4.0',
  'CC-BY-3.0',
  'CC-BY-2.5',
  'CC-BY-2.0',
  'CC-BY-SA-4.0',
  'CC-BY-SA-3.0',
  'CC0-1.0',
  'ODC-BY-1.0',
  'ODbL-1.0',
  'PDDL-1.0',
  'OGL-UK-3.0',
  'OGL-UK-2.0',
  'OGL-UK-1.0',
  'OGL-Canada-2.0',
  'DL-DE-BY-2.0',
  'DL-DE-ZERO-2.0',
  'etalab-2.0',
  'NLOD-2.0',
  'GFDL-1.3-or-later',
]);
const closedSpdx = new Set(['CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'CC-BY-NC-ND-4.0']);

/** Lower-case word (a CKAN licence id or a common spelling) → SPDX id, or an open licence without one. */
const byWord: Record<string, string> = {
  'cc-by': 'CC-BY-4.0',
  'cc-by-4.0': 'CC-BY-4.0',
  'cc-by-3.0': 'CC-BY-3.0',
  'cc-by-sa': 'CC-BY-SA-4.0',
  'cc-by-sa-4.0': 'CC-BY-SA-4.0',
  'cc-by-sa-3.0': 'CC-BY-SA-3.0',
  'cc-zero': 'CC0-1.0',
  cc0: 'CC0-1.0',
  'cc0-1.0': 'CC0-1.0',
  'cc-nc': 'CC-BY-NC-4.0',
  'odc-by': 'ODC-BY-1.0',
  'odc-by-1.0': 'ODC-BY-1.0',
  'odc-odbl': 'ODbL-1.0',
  odbl: 'ODbL-1.0',
  'odbl-1.0': 'ODbL-1.0',
  'odc-pddl': 'PDDL-1.0',
  'pddl-1.0': 'PDDL-1.0',
  'uk-ogl': 'OGL-UK-3.0',
  'ogl-uk-3.0': 'OGL-UK-3.0',
  'ogl-uk-2.0': 'OGL-UK-2.0',
  gfdl: 'GFDL-1.3-or-later',
  'dl-de-by-2.0': 'DL-DE-BY-2.0',
  'dl-de-zero-2.0': 'DL-DE-ZERO-2.0',
  'etalab-2.0': 'etalab-2.0',
  'lo-ol-v2': 'etalab-2.0',
};

/** CKAN's default licences that are open (or closed) without an SPDX id: kept as the id CKAN uses. */
const openWithoutSpdx = new Set(['other-open', 'other-pd', 'other-at']);
const closedWithoutSpdx = new Set(['other-closed', 'other-nc']);

/** Licence IRIs and URLs → SPDX id (patterns, for the many spellings of the same document). */
const byIri: [RegExp, string][] = [
  [/creativecommons\.org\/licenses\/by\/4\.0/i, 'CC-BY-4.0'],
  [/creativecommons\.org\/licenses\/by\/3\.0/i, 'CC-BY-3.0'],
  [/creativecommons\.org\/licenses\/by\/2\.5/i, 'CC-BY-2.5'],
  [/creativecommons\.org\/licenses\/by\/2\.0/i, 'CC-BY-2.0'],
  [/creativecommons\.org\/licenses\/by-sa\/4\.0/i, 'CC-BY-SA-4.0'],
  [/creativecommons\.org\/licenses\/by-sa\/3\.0/i, 'CC-BY-SA-3.0'],
  [/creativecommons\.org\/licenses\/by-nc\/4\.0/i, 'CC-BY-NC-4.0'],
  [/creativecommons\.org\/publicdomain\/zero\/1\.0/i, 'CC0-1.0'],
  [/opendatacommons\.org\/licenses\/odbl/i, 'ODbL-1.0'],
  [/opendatacommons\.org\/licenses\/by/i, 'ODC-BY-1.0'],
  [/opendatacommons\.org\/licenses\/pddl/i, 'PDDL-1.0'],
  [/nationalarchives\.gov\.uk\/doc\/open-government-licence\/version\/3/i, 'OGL-UK-3.0'],
  [/nationalarchives\.gov\.uk\/doc\/open-government-licence\/version\/2/i, 'OGL-UK-2.0'],
  [/govdata\.de\/dl-de\/by-2-0/i, 'DL-DE-BY-2.0'],
  [/govdata\.de\/dl-de\/zero-2-0/i, 'DL-DE-ZERO-2.0'],
  [
    /etalab\.gouv\.fr\/licence-ouverte-open-licence|etalab\.gouv\.fr\/wp-content\/uploads\/2017\/04\/ETALAB-Licence-Ouverte-v2\.0/i,
    'etalab-2.0',
  ],
  // The EU licence authority table (DCAT-AP, High-Value Datasets).
  [new RegExp(`^${eu}CC_BY_4_0$`, 'i'), 'CC-BY-4.0'],
  [new RegExp(`^${eu}CC_BY_3_0$`, 'i'), 'CC-BY-3.0'],
  [new RegExp(`^${eu}CC_BYSA_4_0$`, 'i'), 'CC-BY-SA-4.0'],
  [new RegExp(`^${eu}CC_BYSA_3_0$`, 'i'), 'CC-BY-SA-3.0'],
  [new RegExp(`^${eu}CC_BYNC_4_0$`, 'i'), 'CC-BY-NC-4.0'],
  [new RegExp(`^${eu}CC0(_1_0)?$`, 'i'), 'CC0-1.0'],
  [new RegExp(`^${eu}ODC_BY$`, 'i'), 'ODC-BY-1.0'],
  [new RegExp(`^${eu}ODC_BL$`, 'i'), 'ODbL-1.0'],
  [new RegExp(`^${eu}ODC_PDDL$`, 'i'), 'PDDL-1.0'],
  [new RegExp(`^${eu}OGL_(UK_)?3_0$`, 'i'), 'OGL-UK-3.0'],
  [new RegExp(`^${eu}DL_DE_BY_2_0$`, 'i'), 'DL-DE-BY-2.0'],
  [new RegExp(`^${eu}DL_DE_ZERO_2_0$`, 'i'), 'DL-DE-ZERO-2.0'],
  [new RegExp(`^${eu}ETALAB_2_0$`, 'i'), 'etalab-2.0'],
  // DCAT-AP.de (https://www.dcat-ap.de/def/licenses/).
  [new RegExp(`^${dcatApDe}dl-by-de/2\\.0$`, 'i'), 'DL-DE-BY-2.0'],
  [new RegExp(`^${dcatApDe}dl-zero-de/2\\.0$`, 'i'), 'DL-DE-ZERO-2.0'],
  [new RegExp(`^${dcatApDe}cc-by/4\\.0$`, 'i'), 'CC-BY-4.0'],
  [new RegExp(`^${dcatApDe}cc-by-de/3\\.0$`, 'i'), 'CC-BY-3.0'],
  [new RegExp(`^${dcatApDe}cc-by-sa/4\\.0$`, 'i'), 'CC-BY-SA-4.0'],
  [new RegExp(`^${dcatApDe}cc-zero$`, 'i'), 'CC0-1.0'],
  [new RegExp(`^${dcatApDe}odbl$`, 'i'), 'ODbL-1.0'],
  [new RegExp(`^${dcatApDe}cc-by-nc/4\\.0$`, 'i'), 'CC-BY-NC-4.0'],
];

/** IRIs of open licences that have no SPDX id: kept as the IRI, open. */
const openIris: RegExp[] = [new RegExp(`^${dcatApDe}officialWork$`, 'i')];

const spdxIri = /^https?:\/\/spdx\.org\/licenses\/([A-Za-z0-9.+-]+?)(\.html|\.json)?\/?$/;

function openness(spdx: string): boolean | null {
  return openSpdx.has(spdx) ? true : closedSpdx.has(spdx) ? false : null;
}

/** Maps a source's licence (id, URL, IRI or title); `notspecified` and nothing are `unspecified`. */
export function mapLicence(value: string | null | undefined): MappedLicence {
  const given = value?.trim();
  if (!given || given.toLowerCase() === 'notspecified') {
    return { id: 'unspecified', isOpen: false, isMapped: true };
  }
  const spdx = spdxIri.exec(given)?.[1];
  if (spdx) return { id: spdx, isOpen: openness(spdx), isMapped: true };
  for (const [pattern, id] of byIri) {
    if (pattern.test(given)) return { id, isOpen: openness(id), isMapped: true };
  }
  if (openIris.some((pattern) => pattern.test(given))) return { id: given, isOpen: true, isMapped: true };
  const word = given.toLowerCase();
  const mapped = byWord[word];
  if (mapped) return { id: mapped, isOpen: openness(mapped), isMapped: true };
  if (openWithoutSpdx.has(word)) return { id: word, isOpen: true, isMapped: true };
  if (closedWithoutSpdx.has(word)) return { id: word, isOpen: false, isMapped: true };
  if (openSpdx.has(given) || closedSpdx.has(given))
    return { id: given, isOpen: openness(given), isMapped: true };
  return { id: given.slice(0, 500), isOpen: null, isMapped: false };
}
