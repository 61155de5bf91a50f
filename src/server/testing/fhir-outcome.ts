/**
 * Errors of the FHIR endpoints as an OperationOutcome (what FHIR clients read), one issue per
 * problem with its severity, issue type, FHIRPath expression and diagnostics in the language
 * of the request (Accept-Language: en → English, otherwise Vietnamese).
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { fhirPath, problem, type FhirProblem, type IssueType } from '../../domain/fhir.ts';
import { AppError } from '../errors.ts';

export class FhirError extends Error {
  constructor(
    public readonly status: number,
    public readonly problems: FhirProblem[],
  ) {
    super(problems.map((p) => `${p.expression}: ${p.en}`).join('; '));
  }
}

export type Lang = 'vi' | 'en';
export const langOf = (req: FastifyRequest): Lang =>
  /^\s*en\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'vi';

export function operationOutcome(problems: FhirProblem[], lang: Lang) {
  return {
    resourceType: 'OperationOutcome',
    issue: problems.slice(0, 50).map((p) => ({
      severity: p.severity,
      code: p.code,
      diagnostics: lang === 'en' ? p.en : p.vi,
      expression: [p.expression],
    })),
  };
}

const CODE_OF_STATUS: Record<number, IssueType> = {
  401: 'security',
  403: 'forbidden',
  404: 'not-found',
  409: 'business-rule',
};

/** Installs, for the routes of this plugin only, the OperationOutcome error answer. */
export function installOutcomeHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError | FhirError, req, reply) => {
    const lang = langOf(req);
    const send = (status: number, problems: FhirProblem[]) =>
      reply.status(status).type('application/fhir+json').send(operationOutcome(problems, lang));
    if (err instanceof FhirError) return send(err.status, err.problems);
    if (err instanceof AppError) {
      const code = CODE_OF_STATUS[err.status] ?? 'invalid';
      const problems = err.fields?.length
        ? err.fields.map((f) => problem(code, fhirPath(f.path), f.message, f.message))
        : [problem(code, 'Bundle', err.message, err.message)];
      return send(err.status, problems);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext === 'querystring' ? 'query' : 'Bundle';
      return send(
        400,
        err.validation.map((v) => {
          const path = (v.instancePath ?? '').split('/').filter(Boolean).join('.');
          return problem(
            'structure',
            where === 'query' ? `query.${path}` : fhirPath(path),
            `Không hợp lệ: ${v.message}`,
            `Invalid: ${v.message}`,
          );
        }),
      );
    }
    if (err.statusCode && err.statusCode < 500)
      return send(err.statusCode, [problem('invalid', 'Bundle', err.message, err.message)]);
    req.log.error(err);
    return send(500, [
      {
        ...problem('exception', 'Bundle', 'Lỗi máy chủ', 'Server error'),
        severity: 'fatal',
      },
    ]);
  });
}
