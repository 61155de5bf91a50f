/**
 * The FHIR R4 JSON Schema (data/fhir-schema), compiled once per process with ajv (draft-06,
 * `id` renamed to `$id` in memory; about 5 s on two cores, so only when first needed).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';

const SCHEMA_FILE = fileURLToPath(
  new URL('../../../data/fhir-schema/fhir.schema.json', import.meta.url),
);
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';
const require = createRequire(import.meta.url);

let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv) return ajv;
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  delete schema.id;
  schema.$id = SCHEMA_ID;
  const a = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  a.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  a.addSchema(schema);
  ajv = a;
  return a;
}

export interface FhirIssue {
  path: string;
  message: string;
}

/** Validates a resource against `#/definitions/<its resourceType>`; [] when it conforms. */
export function validateFhir(resource: unknown): FhirIssue[] {
  const type = (resource as { resourceType?: unknown })?.resourceType;
  if (typeof type !== 'string' || !/^[A-Z][A-Za-z]+$/.test(type))
    return [{ path: 'resourceType', message: 'Thiếu resourceType' }];
  let v = compiled.get(type);
  if (!v) {
    const found = instance().getSchema(`${SCHEMA_ID}#/definitions/${type}`);
    if (!found) return [{ path: 'resourceType', message: `Không có loại tài nguyên FHIR ${type}` }];
    v = found;
    compiled.set(type, v);
  }
  if (v(resource)) return [];
  return (v.errors ?? []).slice(0, 10).map((e) => ({
    path: e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'body',
    message: `${e.message ?? 'không hợp lệ'}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
  }));
}
