import { describe, expect, it } from 'vitest';
import { mapLicence } from './licences.js';
import { recordLicence } from './mapping.js';

/**
 * Licences as real portals publish them (CKAN's default licence list, data.gov.uk, GovData's
 * DCAT-AP.de, data.europa.eu's DCAT-AP and High-Value Datasets, data.gov.hk), with the SPDX id
 * and openness each must map to.
 */
const samples: [string, string, boolean | null][] = [
  // CKAN's default licence ids (ckan/model/license.py).
  ['cc-by', 'CC-BY-4.0', true],
  ['cc-by-sa', 'CC-BY-SA-4.0', true],
  ['cc-zero', 'CC0-1.0', true],
  ['cc-nc', 'CC-BY-NC-4.0', false],
  ['odc-by', 'ODC-BY-1.0', true],
  ['odc-odbl', 'ODbL-1.0', true],
  ['odc-pddl', 'PDDL-1.0', true],
  ['uk-ogl', 'OGL-UK-3.0', true],
  ['gfdl', 'GFDL-1.3-or-later', true],
  ['other-open', 'other-open', true],
  ['other-pd', 'other-pd', true],
  ['other-at', 'other-at', true],
  ['other-nc', 'other-nc', false],
  ['other-closed', 'other-closed', false],
  ['notspecified', 'unspecified', false],
  // Licence URLs as CKAN portals give them in license_url.
  ['https://creativecommons.org/licenses/by/4.0/', 'CC-BY-4.0', true],
  ['http://creativecommons.org/licenses/by-sa/3.0/deed.en', 'CC-BY-SA-3.0', true],
  ['https://creativecommons.org/publicdomain/zero/1.0/legalcode', 'CC0-1.0', true],
  ['http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/', 'OGL-UK-3.0', true],
  ['http://opendatacommons.org/licenses/odbl/1-0/', 'ODbL-1.0', true],
  ['https://www.govdata.de/dl-de/by-2-0', 'DL-DE-BY-2.0', true],
  // SPDX IRIs (DCAT-AP recommends them).
  ['http://spdx.org/licenses/CC-BY-4.0', 'CC-BY-4.0', true],
  ['https://spdx.org/licenses/CC0-1.0.html', 'CC0-1.0', true],
  ['http://spdx.org/licenses/MIT', 'MIT', null],
  // The EU licence authority table (data.europa.eu, High-Value Datasets: CC BY 4.0 or CC0 or equivalent).
  ['http://publications.europa.eu/resource/authority/licence/CC_BY_4_0', 'CC-BY-4.0', true],
  ['http://publications.europa.eu/resource/authority/licence/CC0', 'CC0-1.0', true],
  ['http://publications.europa.eu/resource/authority/licence/CC_BYSA_4_0', 'CC-BY-SA-4.0', true],
  ['http://publications.europa.eu/resource/authority/licence/ODC_BL', 'ODbL-1.0', true],
  ['http://publications.europa.eu/resource/authority/licence/DL_DE_BY_2_0', 'DL-DE-BY-2.0', true],
  ['http://publications.europa.eu/resource/authority/licence/CC_BYNC_4_0', 'CC-BY-NC-4.0', false],
  // DCAT-AP.de (GovData).
  ['http://dcat-ap.de/def/licenses/dl-by-de/2.0', 'DL-DE-BY-2.0', true],
  ['http://dcat-ap.de/def/licenses/dl-zero-de/2.0', 'DL-DE-ZERO-2.0', true],
  ['http://dcat-ap.de/def/licenses/cc-by/4.0', 'CC-BY-4.0', true],
  ['http://dcat-ap.de/def/licenses/cc-zero', 'CC0-1.0', true],
  ['http://dcat-ap.de/def/licenses/officialWork', 'http://dcat-ap.de/def/licenses/officialWork', true],
  // France's Licence Ouverte.
  ['https://www.etalab.gouv.fr/licence-ouverte-open-licence/', 'etalab-2.0', true],
];

describe('the harvest licence table', () => {
  it.each(samples)('maps %s to %s', (given, id, isOpen) => {
    expect(mapLicence(given)).toEqual({ id, isOpen, isMapped: true });
  });

  it('keeps an unknown licence as given and says it is not mapped', () => {
    expect(mapLicence('hk-dgi')).toEqual({ id: 'hk-dgi', isOpen: null, isMapped: false });
  });

  it('takes the first form the table knows, keeps an unknown one as its IRI, open only when the source says so', () => {
    expect(
      recordLicence(['cc-by', 'http://www.opendefinition.org/licenses/cc-by', 'Creative Commons'], false),
    ).toEqual({ id: 'CC-BY-4.0', isOpen: true, unmapped: null });
    // The table's verdict wins over the source's: a non-commercial licence is not open data.
    expect(recordLicence(['cc-nc'], true)).toMatchObject({ id: 'CC-BY-NC-4.0', isOpen: false });
    const terms = 'https://data.gov.hk/en/terms-and-conditions';
    expect(recordLicence(['hk-dgi', terms, 'Terms of use of DATA.GOV.HK'], true)).toEqual({
      id: terms,
      isOpen: true,
      unmapped: terms,
    });
    expect(recordLicence(['hk-dgi', null, null], false)).toEqual({
      id: 'hk-dgi',
      isOpen: false,
      unmapped: 'hk-dgi',
    });
    expect(recordLicence([null, '', undefined], true)).toEqual({
      id: 'unspecified',
      isOpen: false,
      unmapped: null,
    });
  });
});
