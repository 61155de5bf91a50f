import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { issueMessage, requestLang, say, translate, type IssueLike } from './messages.ts';

/** One error shape for every endpoint: `{ error, message, fields? }`. */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly fields?: FieldError[],
    /** Extra members of the error body, e.g. an import's row report. */
    public readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: FieldError[]) =>
  new AppError(400, 'validation', message, fields);
export const fieldError = (path: string, message: string) =>
  badRequest(`${path}: ${message}`, [{ path, message }]);
/**
 * The same error with its field paths under `prefix`, for a body nested in another one (a
 * declaration filled in inside an entry reports `declaration.person.idNumber`).
 */
export function nestFields(err: unknown, prefix: string): unknown {
  if (!(err instanceof AppError) || !err.fields?.length) return err;
  const fields = err.fields.map((f) => ({ ...f, path: `${prefix}.${f.path}` }));
  const message = fields.length === 1 ? `${fields[0]!.path}: ${fields[0]!.message}` : err.message;
  return new AppError(err.status, err.code, message, fields, err.extra);
}
export const unauthorized = (message = 'Chưa đăng nhập hoặc phiên đã hết hạn') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'Không có quyền thực hiện thao tác này') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what = 'Bản ghi') =>
  new AppError(404, 'not_found', `${what} không tồn tại`);
export const conflict = (message: string, fields?: FieldError[]) =>
  new AppError(409, 'conflict', message, fields);

/** The value a request sent at a validation issue's path (to tell "missing" from "wrong"). */
function sentValue(root: unknown, instancePath: string | undefined): unknown {
  let at = root;
  for (const part of (instancePath ?? '').split('/').filter(Boolean)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

const SENT = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' } as const;

function pathOf(instancePath: string | undefined, context: string | undefined) {
  const parts = (instancePath ?? '').split('/').filter(Boolean);
  const where = context && context !== 'body' ? [context, ...parts] : parts;
  return where.join('.') || context || 'body';
}

/** The answer to a path no route serves, in the request's language. */
export const noRoute = (req: FastifyRequest) => ({
  error: 'not_found',
  message: say('noRoute', requestLang(req.headers['accept-language']), {
    route: `${req.method} ${req.url.split('?')[0]}`,
  }),
});

export function installErrorHandler(app: FastifyInstance) {
  // A multipart body without its boundary made the parser throw a 500 (issue 14.4): say which
  // field is missing instead, before any route reads the body.
  app.addHook('onRequest', async (req) => {
    const type = req.headers['content-type'];
    if (type && /^multipart\//i.test(type) && !/;\s*boundary=\S/i.test(type))
      throw fieldError(
        'file',
        'Gửi tệp dạng multipart/form-data có boundary (Content-Type thiếu boundary)',
      );
  });
  // Issue 16 item 6: every answer in the request's language (see messages.ts).
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const lang = requestLang(req.headers['accept-language']);
    if (err instanceof AppError) {
      return reply.status(err.status).send({
        error: err.code,
        message: translate(err.message, lang),
        ...(err.fields
          ? { fields: err.fields.map((f) => ({ ...f, message: translate(f.message, lang) })) }
          : {}),
        ...err.extra,
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext as keyof typeof SENT | undefined;
      const sent = context ? (req as unknown as Record<string, unknown>)[SENT[context]] : undefined;
      const fields = err.validation.map((v) => ({
        path: pathOf(v.instancePath, err.validationContext),
        message: issueMessage(
          {
            ...(v.params as Partial<IssueLike>),
            code: v.keyword,
            message: v.message ?? '',
            value: sentValue(sent, v.instancePath),
          },
          lang,
        ),
      }));
      return reply.status(400).send({
        error: 'validation',
        message: say('validation', lang, {
          fields: fields.map((f) => `${f.path}: ${f.message}`).join('; '),
        }),
        fields,
      });
    }
    const status = (err as FastifyError).statusCode;
    if (status === 429) {
      return reply.status(429).send({ error: 'rate_limited', message: say('rateLimited', lang) });
    }
    if (status && status >= 400 && status < 500) {
      // Malformed JSON, wrong content type, body too large…
      return reply.status(status).send({
        error:
          (err as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : 'bad_request',
        message: err.message,
        ...(status === 400 ? { fields: [{ path: 'body', message: err.message }] } : {}),
      });
    }
    // A safety net for input that reached the database unchecked: still the client's fault,
    // still not a 500. Every such case is a missing schema rule and is logged to be fixed.
    const pgCode = (err as { code?: unknown }).code;
    if (typeof pgCode === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(pgCode)) {
      req.log.warn({ err }, 'database rejected input that the schema let through');
      const unique = pgCode === '23505';
      // The database's own text (its SQL, constraint and column names) stays in the log.
      return reply.status(unique ? 409 : 400).send({
        error: unique ? 'conflict' : 'validation',
        message: unique ? say('exists', lang) : say('validation', lang, { fields: 'body' }),
        fields: [
          {
            path: (err as { column?: string }).column ?? 'body',
            message: unique ? say('used', lang) : say('invalid', lang),
          },
        ],
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: 'internal', message: say('internal', lang, { id: req.id }) });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send(noRoute(req)));
}
