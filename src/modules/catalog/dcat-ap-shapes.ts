import { ShapesGraph } from './shacl.js';

/** The DCAT-AP release the catalogue conforms to (dct:conformsTo of /catalog). */
export const dcatApProfile = 'https://semiceu.github.io/DCAT-AP/releases/3.0.0/';

/**
 * SHACL shapes for DCAT-AP 3.0's mandatory properties (severity Violation) and the recommended
 * ones the platform fills (severity Warning), written for the platform from the specification's
 * class tables (https://semiceu.github.io/DCAT-AP/releases/3.0.0/#classes): Catalogue, Dataset,
 * Distribution, Data Service, Agent, Licence Document, Contact Point (vCard Kind). Cardinalities
 * and ranges are the specification's; controlled-vocabulary membership is not checked here.
 */
export const dcatApShapesTurtle = `
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix stp: <urn:stp:shapes:dcat-ap-3#> .

stp:Catalogue a sh:NodeShape ; sh:targetClass dcat:Catalog ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:nodeKind sh:Literal ; sh:message "a catalogue has a title (mandatory)" ] ;
  sh:property [ sh:path dct:description ; sh:minCount 1 ; sh:nodeKind sh:Literal ; sh:message "a catalogue has a description (mandatory)" ] ;
  sh:property [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ; sh:class foaf:Agent ; sh:message "a catalogue has exactly one publisher, an Agent (mandatory)" ] ;
  sh:property [ sh:path foaf:homepage ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:severity sh:Warning ; sh:message "a catalogue has at most one homepage" ] ;
  sh:property [ sh:path dct:modified ; sh:maxCount 1 ; sh:severity sh:Warning ; sh:message "a catalogue has at most one modification date (recommended)" ] .

stp:Dataset a sh:NodeShape ; sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:nodeKind sh:Literal ; sh:message "a dataset has a title (mandatory)" ] ;
  sh:property [ sh:path dct:description ; sh:minCount 1 ; sh:nodeKind sh:Literal ; sh:message "a dataset has a description (mandatory)" ] ;
  sh:property [ sh:path dcat:contactPoint ; sh:minCount 1 ; sh:class vcard:Kind ; sh:severity sh:Warning ; sh:message "a dataset names a contact point, a vCard Kind (recommended)" ] ;
  sh:property [ sh:path dcat:distribution ; sh:minCount 1 ; sh:class dcat:Distribution ; sh:severity sh:Warning ; sh:message "a dataset has a distribution (recommended)" ] ;
  sh:property [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ; sh:class foaf:Agent ; sh:severity sh:Warning ; sh:message "a dataset has one publisher, an Agent (recommended)" ] ;
  sh:property [ sh:path dcat:keyword ; sh:nodeKind sh:Literal ; sh:severity sh:Warning ; sh:message "keywords are literals" ] ;
  sh:property [ sh:path dcat:theme ; sh:nodeKind sh:IRI ; sh:severity sh:Warning ; sh:message "themes are concepts named by IRI" ] ;
  sh:property [ sh:path dct:accessRights ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:message "a dataset has at most one access rights statement" ] ;
  sh:property [ sh:path dct:accrualPeriodicity ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:message "a dataset has at most one frequency" ] ;
  sh:property [ sh:path dct:issued ; sh:maxCount 1 ; sh:message "a dataset has at most one release date" ] ;
  sh:property [ sh:path dct:modified ; sh:maxCount 1 ; sh:message "a dataset has at most one modification date" ] .

stp:Distribution a sh:NodeShape ; sh:targetClass dcat:Distribution ;
  sh:property [ sh:path dcat:accessURL ; sh:minCount 1 ; sh:nodeKind sh:IRI ; sh:message "a distribution has an access URL (mandatory)" ] ;
  sh:property [ sh:path dcat:downloadURL ; sh:nodeKind sh:IRI ; sh:message "download URLs are IRIs" ] ;
  sh:property [ sh:path dct:license ; sh:maxCount 1 ; sh:class dct:LicenseDocument ; sh:severity sh:Warning ; sh:message "a distribution has one licence, a Licence Document (recommended)" ] ;
  sh:property [ sh:path dct:license ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "a distribution names its licence (recommended)" ] ;
  sh:property [ sh:path dct:description ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "a distribution has a description (recommended)" ] ;
  sh:property [ sh:path dct:format ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:message "a distribution has at most one format" ] ;
  sh:property [ sh:path dcat:mediaType ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:message "a distribution has at most one media type" ] .

stp:DataService a sh:NodeShape ; sh:targetClass dcat:DataService ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:nodeKind sh:Literal ; sh:message "a data service has a title (mandatory)" ] ;
  sh:property [ sh:path dcat:endpointURL ; sh:minCount 1 ; sh:nodeKind sh:IRI ; sh:message "a data service has an endpoint URL (mandatory)" ] ;
  sh:property [ sh:path dcat:endpointDescription ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "a data service describes its endpoint (recommended)" ] ;
  sh:property [ sh:path dct:license ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dct:LicenseDocument ; sh:severity sh:Warning ; sh:message "a data service has one licence, a Licence Document" ] ;
  sh:property [ sh:path dct:accessRights ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:message "a data service has at most one access rights statement" ] ;
  sh:property [ sh:path dct:publisher ; sh:maxCount 1 ; sh:class foaf:Agent ; sh:message "a data service has at most one publisher, an Agent" ] .

stp:Agent a sh:NodeShape ; sh:targetClass foaf:Agent ;
  sh:property [ sh:path foaf:name ; sh:minCount 1 ; sh:nodeKind sh:Literal ; sh:message "an agent has a name (mandatory)" ] .

stp:LicenceDocument a sh:NodeShape ; sh:targetClass dct:LicenseDocument ;
  sh:property [ sh:path dct:type ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:message "a licence document has at most one type" ] .

stp:ContactPoint a sh:NodeShape ; sh:targetClass vcard:Kind ;
  sh:property [ sh:path vcard:fn ; sh:minCount 1 ; sh:nodeKind sh:Literal ; sh:severity sh:Warning ; sh:message "a contact point has a formatted name" ] ;
  sh:property [ sh:path vcard:hasURL ; sh:nodeKind sh:IRI ; sh:message "a contact point's URL is an IRI" ] .
`;

let shapes: ShapesGraph | undefined;

/** The shapes, read once. */
export function dcatApShapes(): ShapesGraph {
  shapes ??= new ShapesGraph(dcatApShapesTurtle);
  return shapes;
}
