/**
 * Issue 10, item 8: what a new password must be. Pure: the list of common passwords is handed in
 * (src/server/auth/common-passwords.ts loads it once from a public list).
 */
export const PASSWORD_MIN_LENGTH = 10;

export interface PasswordProblem {
  path: string;
  message: string;
}

/**
 * The first rule `password` breaks, or null. `field` names the form field in the message
 * (e.g. "Mật khẩu mới") and in `path`.
 */
export function passwordRuleProblem(
  password: string,
  opts: { username?: string; common: ReadonlySet<string>; path?: string; field?: string },
): PasswordProblem | null {
  const path = opts.path ?? 'password';
  const field = opts.field ?? 'Mật khẩu';
  const fail = (message: string) => ({ path, message: `${field}: ${message}` });
  if (password.trim() === '') return fail('không được chỉ gồm khoảng trắng');
  // Length in characters as the person typed them (a Vietnamese letter counts once).
  if ([...password.normalize('NFC')].length < PASSWORD_MIN_LENGTH)
    return fail(`cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự`);
  const lower = password.trim().toLowerCase();
  if (opts.username && lower === opts.username.trim().toLowerCase())
    return fail('không được trùng tên đăng nhập');
  if (opts.common.has(lower)) return fail('quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác');
  return null;
}
