/** The `nav` i18next namespace: menu groups, the roles page, the theme switch (issue 16). */
const vi = {
  group: {
    situation: 'Tình hình',
    entry: 'Kiểm soát ra vào',
    people: 'Dân cư',
    cases: 'Ca bệnh & truy vết',
    testing: 'Xét nghiệm',
    care: 'Cách ly & điều trị',
    vaccination: 'Tiêm chủng',
    resources: 'Nguồn lực & xử lý vi phạm',
    admin: 'Quản trị',
  },
  roles: 'Vai trò & quyền',
  rolesIntro:
    'Mỗi tài khoản có một vai trò; vai trò quyết định những việc được làm, trong địa bàn của tài khoản. Quản trị viên cấp vai trò khi tạo hoặc sửa tài khoản (trang Người dùng).',
  permissions: 'Quyền',
  levels: 'Cấp được giao',
  yes: 'Có',
  matrix: 'Bảng quyền theo vai trò',
  permission: 'Quyền',
  theme: { dark: 'Chế độ tối', light: 'Chế độ sáng' },
  confirm: { title: 'Xác nhận', cancel: 'Huỷ', delete: 'Xoá' },
  level: {
    province: 'Tỉnh',
    district: 'Huyện',
    commune: 'Xã',
    village: 'Thôn/bản',
    site: 'Địa điểm',
  },
};
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
const en: Shape<typeof vi> = {
  group: {
    situation: 'Situation',
    entry: 'Entry control',
    people: 'Residents',
    cases: 'Cases & tracing',
    testing: 'Testing',
    care: 'Quarantine & care',
    vaccination: 'Vaccination',
    resources: 'Resources & enforcement',
    admin: 'Administration',
  },
  roles: 'Roles & permissions',
  rolesIntro:
    "Every account has one role; the role decides what it may do, within the account's jurisdiction. An administrator grants a role when creating or editing an account (Users page).",
  permissions: 'Permissions',
  levels: 'May be placed at',
  yes: 'Yes',
  matrix: 'Permissions by role',
  permission: 'Permission',
  theme: { dark: 'Dark mode', light: 'Light mode' },
  confirm: { title: 'Please confirm', cancel: 'Cancel', delete: 'Delete' },
  level: {
    province: 'Province',
    district: 'District',
    commune: 'Commune',
    village: 'Village',
    site: 'Site',
  },
};
export default { vi, en };
export type NavTranslation = typeof vi;
