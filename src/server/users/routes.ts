import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  actionsOf,
  mayGrant,
  ROLE_POLICIES,
  ROLES,
  SITE_KINDS,
  type Role,
  type Scope,
  type SiteKind,
} from '../../domain/access.ts';
import { ACTION_LABELS, ROLE_DUTIES, ROLE_LABELS } from '../../domain/labels.ts';
import { fold } from '../../domain/text.ts';
import { generatePassword, hashPassword, passwordProblem } from '../auth/passwords.ts';
import { forgetSessions } from '../auth/sessions.ts';
import {
  type Actor,
  audit,
  loadScoped,
  requireActor,
  requirePermission,
  scopePredicate,
} from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { placeLabel } from '../geo/units.ts';

const jurisdictionInput = z.object({
  level: z.enum(['province', 'district', 'commune', 'village', 'site']),
  unitCode: z
    .string()
    .regex(/^\d{2}(\d|\d{3})?$/, 'Mã đơn vị hành chính gồm 2, 3 hoặc 5 chữ số')
    .optional(),
  villageId: z.uuid().optional(),
  siteId: z.uuid().optional(),
});
type JurisdictionInput = z.infer<typeof jurisdictionInput>;

const username = z
  .string()
  .trim()
  .min(3, 'Ít nhất 3 ký tự')
  .max(40)
  .regex(/^[a-zA-Z0-9._-]+$/, 'Chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới');
const phone = z
  .string()
  .trim()
  .regex(/^(\+?84|0)\d{9,10}$/, 'Số điện thoại Việt Nam, ví dụ 0912345678')
  .nullable()
  .optional();

const createBody = z.object({
  username,
  fullName: z.string().trim().min(2, 'Bắt buộc').max(120),
  phone,
  password: z.string().min(1).max(200).optional(),
  role: z.enum(ROLES),
  jurisdiction: jurisdictionInput,
  clientId: z.uuid().optional(),
});
const patchBody = z.object({
  fullName: z.string().trim().min(2).max(120).optional(),
  phone,
  role: z.enum(ROLES).optional(),
  jurisdiction: jurisdictionInput.optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(1).max(200).optional(),
  /** Reset to a generated password, returned once in `generatedPassword`. */
  generatePassword: z.literal(true).optional(),
});

export interface UserDbRow {
  id: string;
  username: string;
  full_name: string;
  phone: string | null;
  role: Role;
  scope_level: Scope['level'];
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  village_id: string | null;
  site_id: string | null;
  site_kind: string | null;
  disabled: boolean;
  created_at: Date | string;
}
const USER_COLUMNS = `id, username, full_name, phone, role, scope_level, province_code, district_code, commune_code,
  village_id, site_id, disabled, created_at,
  (SELECT kind FROM sites WHERE sites.id = users.site_id) AS site_kind`;

export const scopeOfRow = (u: UserDbRow): Scope => ({
  level: u.scope_level,
  provinceCode: u.province_code,
  districtCode: u.district_code,
  communeCode: u.commune_code,
  villageId: u.village_id,
  siteId: u.site_id,
});

export async function presentUser(q: Queryable, u: UserDbRow) {
  const scope = scopeOfRow(u);
  return {
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    phone: u.phone,
    role: u.role,
    roleLabel: ROLE_LABELS[u.role]?.vi ?? u.role,
    scope,
    scopeLabel: await placeLabel(q, scope),
    siteKind: u.site_kind,
    disabled: u.disabled,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

/**
 * Turns what the form sends into a scope with all its codes, checking that the unit, village or
 * site exists and is of the level named. Errors name the field.
 */
export async function resolveJurisdiction(
  q: Queryable,
  j: JurisdictionInput,
  path = 'jurisdiction',
): Promise<{ scope: Scope; siteKind: SiteKind | null }> {
  if (j.level === 'village') {
    if (!j.villageId) throw fieldError(`${path}.villageId`, 'Chọn thôn/bản');
    const v = await q.query<{ province_code: string; district_code: string; commune_code: string }>(
      'SELECT province_code, district_code, commune_code FROM villages WHERE id = $1',
      [j.villageId],
    );
    if (!v[0]) throw fieldError(`${path}.villageId`, 'Không có thôn/bản này');
    return {
      scope: {
        level: 'village',
        provinceCode: v[0].province_code,
        districtCode: v[0].district_code,
        communeCode: v[0].commune_code,
        villageId: j.villageId,
      },
      siteKind: null,
    };
  }
  if (j.level === 'site') {
    if (!j.siteId) throw fieldError(`${path}.siteId`, 'Chọn cơ sở');
    const s = await q.query<{
      province_code: string;
      district_code: string;
      commune_code: string;
      kind: SiteKind;
    }>(
      'SELECT province_code, district_code, commune_code, kind FROM sites WHERE id = $1 AND NOT disabled',
      [j.siteId],
    );
    if (!s[0]) throw fieldError(`${path}.siteId`, 'Không có cơ sở này');
    return {
      scope: {
        level: 'site',
        provinceCode: s[0].province_code,
        districtCode: s[0].district_code,
        communeCode: s[0].commune_code,
        siteId: j.siteId,
      },
      siteKind: s[0].kind,
    };
  }
  const wantLevel = { province: 1, district: 2, commune: 3 }[j.level];
  if (!j.unitCode) throw fieldError(`${path}.unitCode`, 'Chọn đơn vị hành chính');
  const u = await q.query<{
    level: number;
    province_code: string;
    district_code: string | null;
    code: string;
  }>('SELECT level, province_code, district_code, code FROM admin_units WHERE code = $1', [
    j.unitCode,
  ]);
  if (!u[0]) throw fieldError(`${path}.unitCode`, `Không có đơn vị hành chính mã ${j.unitCode}`);
  if (u[0].level !== wantLevel)
    throw fieldError(`${path}.unitCode`, `Mã ${j.unitCode} không phải cấp ${j.level}`);
  return {
    scope: {
      level: j.level,
      provinceCode: u[0].province_code,
      districtCode: j.level === 'province' ? null : (u[0].district_code ?? u[0].code),
      communeCode: j.level === 'commune' ? u[0].code : null,
    },
    siteKind: null,
  };
}

const GRANT_MESSAGES = {
  not_permitted: 'Vai trò của bạn không được quản lý người dùng',
  outside_scope: 'Địa bàn này nằm ngoài địa bàn bạn quản lý',
  level_not_allowed: 'Vai trò này không đặt ở cấp địa bàn đã chọn',
} as const;

async function checkGrant(
  q: Queryable,
  req: Parameters<typeof audit>[1],
  actor: Actor,
  role: Role,
  j: JurisdictionInput,
  resourceId: string,
) {
  const { scope, siteKind } = await resolveJurisdiction(q, j);
  const decision = mayGrant(actor, role, scope, siteKind);
  if (!decision.ok) {
    await audit(q, req, {
      action: 'users.manage',
      resourceType: 'user',
      resourceId,
      outcome: 'denied',
      reason: decision.reason,
      detail: { role, scope },
    });
    const path = decision.reason === 'level_not_allowed' ? 'jurisdiction.level' : 'jurisdiction';
    throw new AppError(
      decision.reason === 'outside_scope' ? 403 : 400,
      decision.reason === 'outside_scope' ? 'forbidden' : 'validation',
      GRANT_MESSAGES[decision.reason],
      [{ path, message: GRANT_MESSAGES[decision.reason] }],
    );
  }
  return { scope, siteKind };
}

const userSearchName = (username: string, fullName: string) => fold(`${username} ${fullName}`);

export async function insertUser(
  q: Queryable,
  u: {
    username: string;
    fullName: string;
    phone?: string | null;
    passwordHash: string;
    role: Role;
    scope: Scope;
    createdBy: string | null;
    clientId?: string | null;
  },
): Promise<UserDbRow | undefined> {
  const rows = await q.query<UserDbRow>(
    `INSERT INTO users (username, full_name, phone, password_hash, role, scope_level, province_code, district_code,
       commune_code, village_id, site_id, created_by, client_id, search_name)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
     ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
    [
      u.username,
      u.fullName,
      u.phone ?? null,
      u.passwordHash,
      u.role,
      u.scope.level,
      u.scope.provinceCode,
      u.scope.districtCode ?? null,
      u.scope.communeCode ?? null,
      u.scope.villageId ?? null,
      u.scope.siteId ?? null,
      u.createdBy,
      u.clientId ?? null,
      userSearchName(u.username, u.fullName),
    ],
  );
  return rows[0];
}

export async function userRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/roles',
    {
      schema: {
        tags: ['users'],
        summary: 'Roles, their labels, the levels each may hold and what each may do',
        description:
          'Each role with its duties and its permissions in words (vi + en). The matrix is the table in src/domain/access.ts; an administrator grants a role by editing a user.',
      },
    },
    async (req) => {
      requireActor(req);
      return {
        items: ROLES.map((role) => ({
          role,
          label: ROLE_LABELS[role],
          levels: ROLE_POLICIES[role].levels,
          siteKinds: ROLE_POLICIES[role].siteKinds ?? [],
          actions: actionsOf(role),
          // issue 16 item 7: the permissions in words, and the role's work
          duties: ROLE_DUTIES[role],
          permissions: actionsOf(role).map((action) => ({ action, label: ACTION_LABELS[action] })),
        })),
        siteKinds: SITE_KINDS,
      };
    },
  );

  app.get(
    '/api/v1/users',
    {
      preHandler: requirePermission('users.read'),
      schema: {
        tags: ['users'],
        summary: 'Users in your jurisdiction',
        querystring: z.object({
          q: z.string().max(80).optional(),
          role: z.enum(ROLES).optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { q, role, limit, cursor } = req.query;
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params)];
      if (q) {
        params.push(`%${fold(q)}%`);
        where.push(`search_name LIKE $${params.length}`);
      }
      if (role) {
        params.push(role);
        where.push(`role = $${params.length}`);
      }
      const after = decodeCursor(cursor, 1);
      if (after) {
        params.push(after[0]);
        where.push(`lower(username) > $${params.length}`);
      }
      params.push(limit + 1);
      const rows = await db.query<UserDbRow>(
        `SELECT ${USER_COLUMNS} FROM users WHERE ${where.join(' AND ')} ORDER BY lower(username) LIMIT $${params.length}`,
        params,
      );
      const p = page(rows, limit, (r) => [r.username.toLowerCase()]);
      await audit(db, req, {
        action: 'users.list',
        resourceType: 'user',
        outcome: 'allowed',
        detail: { count: p.items.length },
      });
      return {
        items: await Promise.all(p.items.map((u) => presentUser(db, u))),
        nextCursor: p.nextCursor,
      };
    },
  );

  const loadUser = (
    req: Parameters<typeof loadScoped>[0],
    id: string,
    action: 'users.read' | 'users.manage',
  ) =>
    loadScoped(req, {
      action,
      resourceType: 'user',
      id,
      label: 'Người dùng',
      auditAllowed: action === 'users.read',
      load: async () => {
        const rows = await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
          id,
        ]);
        return rows[0] && { ...scopeOfRow(rows[0]), row: rows[0] };
      },
    });

  app.get(
    '/api/v1/users/:id',
    {
      preHandler: requirePermission('users.read'),
      schema: { tags: ['users'], params: z.object({ id: z.uuid() }) },
    },
    async (req) => presentUser(db, (await loadUser(req, req.params.id, 'users.read')).row),
  );

  app.post(
    '/api/v1/users',
    {
      preHandler: requirePermission('users.manage'),
      schema: {
        tags: ['users'],
        summary:
          'Create a user inside your jurisdiction; a password is generated when none is given',
        body: createBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      if (b.clientId) {
        const prior = await db.query<UserDbRow>(
          `SELECT ${USER_COLUMNS} FROM users WHERE client_id = $1 AND created_by = $2`,
          [b.clientId, actor.id],
        );
        if (prior[0]) return reply.status(200).send({ user: await presentUser(db, prior[0]) });
      }
      if (b.password) {
        const problem = passwordProblem(b.password, b.username);
        if (problem) throw fieldError('password', problem);
      }
      const { scope } = await checkGrant(db, req, actor, b.role, b.jurisdiction, b.username);
      const generated = b.password ? undefined : generatePassword();
      const passwordHash = await hashPassword(b.password ?? generated!);
      const user = await db.tx(async (q) => {
        const row = await insertUser(q, {
          username: b.username,
          fullName: b.fullName,
          phone: b.phone,
          passwordHash,
          role: b.role,
          scope,
          createdBy: actor.id,
          clientId: b.clientId,
        });
        if (!row)
          throw conflict(`Tên đăng nhập "${b.username}" đã có`, [
            { path: 'username', message: 'Tên đăng nhập đã có' },
          ]);
        await audit(q, req, {
          action: 'users.create',
          resourceType: 'user',
          resourceId: row.id,
          outcome: 'allowed',
          detail: { role: b.role, scope },
        });
        return row;
      });
      return reply.status(201).send({
        user: await presentUser(db, user),
        ...(generated ? { generatedPassword: generated } : {}),
      });
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      preHandler: requirePermission('users.manage'),
      schema: {
        tags: ['users'],
        summary: 'Change, move, disable or reset the password of a user in your jurisdiction',
        params: z.object({ id: z.uuid() }),
        body: patchBody,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { row } = await loadUser(req, req.params.id, 'users.manage');
      const b = req.body;
      if (b.disabled && row.id === actor.id)
        throw fieldError('disabled', 'Không thể tự vô hiệu hóa tài khoản của mình');
      let scope = scopeOfRow(row);
      const role = b.role ?? row.role;
      if (b.role || b.jurisdiction) {
        if (row.id === actor.id)
          throw fieldError(
            b.role ? 'role' : 'jurisdiction',
            'Không thể tự đổi vai trò hoặc địa bàn của mình',
          );
        const j: JurisdictionInput = b.jurisdiction ?? {
          level: scope.level,
          unitCode: scope.communeCode ?? scope.districtCode ?? scope.provinceCode,
          villageId: scope.villageId ?? undefined,
          siteId: scope.siteId ?? undefined,
        };
        scope = (await checkGrant(db, req, actor, role, j, row.id)).scope;
      }
      if (b.password && b.generatePassword)
        throw fieldError('password', 'Nhập mật khẩu hoặc để hệ thống tạo, không cả hai');
      // Issue 10, item 8: one's own password changes at POST /auth/password, with the current one.
      if ((b.password || b.generatePassword) && row.id === actor.id)
        throw fieldError(
          b.password ? 'password' : 'generatePassword',
          'Đổi mật khẩu của chính mình ở mục "Đổi mật khẩu" (cần mật khẩu hiện tại)',
        );
      if (b.password) {
        const problem = passwordProblem(b.password, row.username);
        if (problem) throw fieldError('password', problem);
      }
      const generated = b.generatePassword ? generatePassword() : undefined;
      const newPassword = b.password ?? generated;
      const passwordHash = newPassword ? await hashPassword(newPassword) : null;
      const updated = await db.tx(async (q) => {
        const rows = await q.query<UserDbRow>(
          `UPDATE users SET full_name = coalesce($2, full_name), phone = CASE WHEN $3::boolean THEN $4 ELSE phone END,
             role = $5, scope_level = $6, province_code = $7, district_code = $8, commune_code = $9, village_id = $10, site_id = $11,
             disabled = coalesce($12, disabled), password_hash = coalesce($13, password_hash),
             failed_logins = CASE WHEN $13::text IS NULL THEN failed_logins ELSE 0 END,
             locked_until = CASE WHEN $13::text IS NULL THEN locked_until ELSE NULL END, updated_at = now(),
             must_change_password = ($13::text IS NOT NULL OR must_change_password),
             search_name = $14
           WHERE id = $1 RETURNING ${USER_COLUMNS}`,
          [
            row.id,
            b.fullName ?? null,
            b.phone !== undefined,
            b.phone ?? null,
            role,
            scope.level,
            scope.provinceCode,
            scope.districtCode ?? null,
            scope.communeCode ?? null,
            scope.villageId ?? null,
            scope.siteId ?? null,
            b.disabled ?? null,
            passwordHash,
            userSearchName(row.username, b.fullName ?? row.full_name),
          ],
        );
        // A disabled user, a new password, or a new role or place ends the user's sessions.
        if (b.disabled || passwordHash || b.role || b.jurisdiction)
          await q.query('DELETE FROM sessions WHERE user_id = $1', [row.id]);
        await audit(q, req, {
          action: 'users.update',
          resourceType: 'user',
          resourceId: row.id,
          outcome: 'allowed',
          detail: {
            changed: Object.keys(b)
              .filter((k) => k !== 'password' && k !== 'generatePassword')
              .concat(passwordHash ? ['password'] : []),
          },
        });
        return rows[0]!;
      });
      forgetSessions(db);
      const user = await presentUser(db, updated);
      return generated ? { ...user, generatedPassword: generated } : user;
    },
  );
}
