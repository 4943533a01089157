import { Parser } from 'n3';
import { describe, expect, it } from 'vitest';
import { ShapesGraph } from './shacl.js';

const prefixes = `@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .`;

describe('the SHACL Core validator', () => {
  it('checks counts, classes (through rdfs:subClassOf), node kinds and datatypes, with severities', () => {
    const shapes = new ShapesGraph(`${prefixes}
      ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
        sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
        sh:property [ sh:path ex:owner ; sh:class ex:Agent ; sh:nodeKind sh:IRI ] ;
        sh:property [ sh:path ex:note ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "add a note" ] .`);
    const data = new Parser({ format: 'text/turtle' }).parse(`${prefixes}
      ex:Person rdfs:subClassOf ex:Agent .
      ex:good a ex:Thing ; ex:name "a" ; ex:owner ex:alice ; ex:note "n" .
      ex:alice a ex:Person .
      ex:bad a ex:Thing ; ex:name "a", "b" ; ex:owner ex:rock, "text" .
      ex:rock a ex:Stone .`);
    const report = shapes.validate(data);
    expect(report.conforms).toBe(false);
    expect(report.results.map((result) => [result.focusNode, result.constraint, result.severity])).toEqual([
      ['http://example.org/bad', 'sh:MaxCountConstraintComponent', 'Violation'],
      ['http://example.org/bad', 'sh:ClassConstraintComponent', 'Violation'],
      ['http://example.org/bad', 'sh:ClassConstraintComponent', 'Violation'],
      ['http://example.org/bad', 'sh:NodeKindConstraintComponent', 'Violation'],
      ['http://example.org/bad', 'sh:MinCountConstraintComponent', 'Warning'],
    ]);
    expect(report.results.at(-1)?.message).toBe('add a note (0 value(s), at least 1 expected)');
  });

  it('refuses shapes it cannot check rather than pass them silently', () => {
    expect(
      () =>
        new ShapesGraph(`${prefixes}
      ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:name ; sh:pattern "^a" ] .`),
    ).toThrow(/shacl#pattern is not supported/);
  });
});
