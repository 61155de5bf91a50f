import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

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

function pathOf(instancePath: string | undefined, context: string | undefined) {
  const parts = (instancePath ?? '').split('/').filter(Boolean);
  const where = context && context !== 'body' ? [context, ...parts] : parts;
  return where.join('.') || context || 'body';
}

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
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({
        error: err.code,
        message: err.message,
        ...(err.fields ? { fields: err.fields } : {}),
        ...err.extra,
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => ({
        path: pathOf(v.instancePath, err.validationContext),
        message: v.message,
      }));
      return reply.status(400).send({
        error: 'validation',
        message: `Dữ liệu không hợp lệ: ${fields.map((f) => f.path).join(', ')}`,
        fields,
      });
    }
    const status = (err as FastifyError).statusCode;
    if (status === 429) {
      return reply
        .status(429)
        .send({ error: 'rate_limited', message: 'Quá nhiều yêu cầu, vui lòng thử lại sau' });
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
        message: unique ? 'Bản ghi đã tồn tại' : 'Dữ liệu không hợp lệ',
        fields: [
          {
            path: (err as { column?: string }).column ?? 'body',
            message: unique ? 'Giá trị đã được dùng' : 'Giá trị không hợp lệ',
          },
        ],
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: 'internal', message: 'Lỗi hệ thống; mã yêu cầu ' + req.id });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: 'not_found',
      message: `Không có đường dẫn ${req.method} ${req.url.split('?')[0]}`,
    }),
  );
}
