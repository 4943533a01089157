import type { Quad, Term } from '@rdfjs/types';
import { Parser, Store } from 'n3';

/**
 * A SHACL Core validator for the constraints the platform's shapes use
 * (https://www.w3.org/TR/shacl/): node shapes targeting a class (`sh:targetClass`), property shapes
 * with a predicate path and `sh:minCount`, `sh:maxCount`, `sh:class`, `sh:nodeKind`, `sh:datatype`,
 * each with its `sh:severity` and `sh:message`. It is not a general SHACL engine: a shape using any
 * other constraint or a complex path is refused when the shapes are read, so nothing is silently
 * left unchecked.
 */
const sh = 'http://www.w3.org/ns/shacl#';
const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const rdfsSubClassOf = 'http://www.w3.org/2000/01/rdf-schema#subClassOf';

export type Severity = 'Violation' | 'Warning' | 'Info';

interface PropertyShape {
  path: string;
  minCount?: number;
  maxCount?: number;
  class?: string;
  nodeKind?: 'IRI' | 'BlankNode' | 'Literal' | 'BlankNodeOrIRI' | 'IRIOrLiteral' | 'BlankNodeOrLiteral';
  datatype?: string;
  severity: Severity;
  message: string | null;
}

interface NodeShape {
  id: string;
  targetClass: string;
  properties: PropertyShape[];
}

/** One result of a validation report, as `sh:ValidationResult` names its parts. */
export interface ValidationResult {
  focusNode: string;
  resultPath: string;
  severity: Severity;
  constraint: string;
  message: string;
}

export interface ValidationReport {
  /** True when no result is a Violation (warnings are recommendations not met). */
  conforms: boolean;
  results: ValidationResult[];
}

const understood = new Set(
  [
    'path',
    'minCount',
    'maxCount',
    'class',
    'nodeKind',
    'datatype',
    'severity',
    'message',
    'name',
    'description',
    'order',
  ].map((local) => `${sh}${local}`),
);

export class ShapesGraph {
  private readonly shapes: NodeShape[];

  constructor(turtle: string) {
    const store = new Store(new Parser({ format: 'text/turtle' }).parse(turtle));
    const one = (subject: Term, predicate: string) => store.getObjects(subject, predicate, null)[0];
    this.shapes = store.getSubjects(`${sh}targetClass`, null, null).map((shape) => {
      const targetClass = one(shape, `${sh}targetClass`)!.value;
      const properties = store.getObjects(shape, `${sh}property`, null).map((property): PropertyShape => {
        for (const quad of store.getQuads(property, null, null, null)) {
          if (!understood.has(quad.predicate.value)) {
            throw new Error(
              `shape ${shape.value}: ${quad.predicate.value} is not supported by this validator`,
            );
          }
        }
        const path = one(property, `${sh}path`);
        if (path?.termType !== 'NamedNode') {
          throw new Error(`shape ${shape.value}: a property needs a predicate path (an IRI)`);
        }
        const count = (local: string) => {
          const value = one(property, `${sh}${local}`)?.value;
          return value === undefined ? undefined : Number(value);
        };
        const severity = one(property, `${sh}severity`)?.value.replace(sh, '') as Severity | undefined;
        return {
          path: path.value,
          minCount: count('minCount'),
          maxCount: count('maxCount'),
          class: one(property, `${sh}class`)?.value,
          nodeKind: one(property, `${sh}nodeKind`)?.value.replace(sh, '') as PropertyShape['nodeKind'],
          datatype: one(property, `${sh}datatype`)?.value,
          severity: severity ?? 'Violation',
          message: one(property, `${sh}message`)?.value ?? null,
        };
      });
      return { id: shape.value, targetClass, properties };
    });
  }

  /** Validates a data graph against every shape. */
  validate(quads: Quad[] | Store): ValidationReport {
    const data = quads instanceof Store ? quads : new Store(quads);
    const isInstance = (node: Term, cls: string): boolean => {
      const seen = new Set<string>();
      const pending = data.getObjects(node, rdfType, null).map((type) => type.value);
      while (pending.length > 0) {
        const type = pending.pop()!;
        if (type === cls) return true;
        if (seen.has(type)) continue;
        seen.add(type);
        pending.push(...data.getObjects(type, rdfsSubClassOf, null).map((parent) => parent.value));
      }
      return false;
    };
    const results: ValidationResult[] = [];
    for (const shape of this.shapes) {
      for (const focus of data.getSubjects(rdfType, shape.targetClass, null)) {
        for (const property of shape.properties) {
          const values = data.getObjects(focus, property.path, null);
          const fail = (constraint: string, detail: string) =>
            results.push({
              focusNode: focus.termType === 'BlankNode' ? `_:${focus.value}` : focus.value,
              resultPath: property.path,
              severity: property.severity,
              constraint: `sh:${constraint}`,
              message: property.message ? `${property.message} (${detail})` : detail,
            });
          if (property.minCount !== undefined && values.length < property.minCount) {
            fail(
              'MinCountConstraintComponent',
              `${values.length} value(s), at least ${property.minCount} expected`,
            );
          }
          if (property.maxCount !== undefined && values.length > property.maxCount) {
            fail(
              'MaxCountConstraintComponent',
              `${values.length} values, at most ${property.maxCount} expected`,
            );
          }
          for (const value of values) {
            if (property.class && !isInstance(value, property.class)) {
              fail('ClassConstraintComponent', `${value.value} is not a ${property.class}`);
            }
            if (property.nodeKind && !nodeKindHolds(value, property.nodeKind)) {
              fail('NodeKindConstraintComponent', `${value.value} is not a ${property.nodeKind}`);
            }
            if (
              property.datatype &&
              (value.termType !== 'Literal' || value.datatype.value !== property.datatype)
            ) {
              fail('DatatypeConstraintComponent', `${value.value} is not a ${property.datatype}`);
            }
          }
        }
      }
    }
    return { conforms: results.every((result) => result.severity !== 'Violation'), results };
  }
}

function nodeKindHolds(value: Term, kind: NonNullable<PropertyShape['nodeKind']>): boolean {
  const type = value.termType;
  switch (kind) {
    case 'IRI':
      return type === 'NamedNode';
    case 'BlankNode':
      return type === 'BlankNode';
    case 'Literal':
      return type === 'Literal';
    case 'BlankNodeOrIRI':
      return type === 'NamedNode' || type === 'BlankNode';
    case 'IRIOrLiteral':
      return type === 'NamedNode' || type === 'Literal';
    case 'BlankNodeOrLiteral':
      return type === 'BlankNode' || type === 'Literal';
  }
}
