import type { Organisation } from '../identity/service.js';
import { type Dataset, type DatasetVersion, isOpenDataset } from './datasets.js';
import { catalogGraph } from './dcat.js';
import { dcatApShapes } from './dcat-ap-shapes.js';
import type { ValidationResult } from './shacl.js';

/** One shape a record does not meet: the node, the property and what is wrong. */
export interface RecordFinding {
  focusNode: string;
  path: string;
  message: string;
}

/**
 * A dataset's DCAT-AP 3 record checked against the profile's shapes: `violations` break a
 * mandatory property (a record with any does not conform), `warnings` are recommendations not met.
 */
export interface RecordReport {
  conforms: boolean;
  violations: RecordFinding[];
  warnings: RecordFinding[];
}

const findingOf = (result: ValidationResult): RecordFinding => ({
  focusNode: result.focusNode,
  path: result.resultPath,
  message: result.message,
});

/**
 * The record the catalogue publishes for one dataset (`/catalog`, dcat.ts), as it reads once the
 * dataset is published, validated against the DCAT-AP 3 shapes. The record is built by the same
 * code as the catalogue, so what passes here is what harvesters of `/catalog` receive.
 */
export function validateDatasetRecord(
  dataset: Dataset,
  version: DatasetVersion | null,
  publisher: Organisation | undefined,
  baseUrl: string,
): RecordReport {
  const published: Dataset = { ...dataset, status: 'published' };
  const isOpen = isOpenDataset(published, version);
  const quads = catalogGraph(
    {
      items: [
        { kind: 'dataset', dataset: published, version, isOpen, isPublic: isOpen, isDownloadable: isOpen },
      ],
      publishers: new Map(publisher ? [[publisher.id, publisher]] : []),
    },
    baseUrl,
  );
  const { conforms, results } = dcatApShapes().validate(quads);
  return {
    conforms,
    violations: results.filter((result) => result.severity === 'Violation').map(findingOf),
    warnings: results.filter((result) => result.severity !== 'Violation').map(findingOf),
  };
}
