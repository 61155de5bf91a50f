import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN_LENGTH, passwordRuleProblem } from './password-rules.ts';

const common = new Set(['password123', 'qwertyuiop']);
const check = (p: string, username = 'cdc.admin') =>
  passwordRuleProblem(p, { username, common, path: 'newPassword', field: 'Mật khẩu mới' });

describe('passwordRuleProblem', () => {
  it('needs exactly the minimum length, counted in characters', () => {
    expect(check('a'.repeat(PASSWORD_MIN_LENGTH - 1))?.message).toBe(
      'Mật khẩu mới: cần ít nhất 10 ký tự',
    );
    expect(check('a1b2c3d4e5')).toBeNull();
    // 10 Vietnamese letters are 10 characters, even though decomposed they are more code units.
    expect(check('đường-phố'.normalize('NFD'))?.message).toMatch(/ít nhất 10/);
    expect(check('đường-phố1'.normalize('NFD'))).toBeNull();
  });
  it('refuses a password of spaces only, naming the field', () => {
    expect(check(' '.repeat(12))).toEqual({
      path: 'newPassword',
      message: 'Mật khẩu mới: không được chỉ gồm khoảng trắng',
    });
  });
  it('refuses the username, whatever its case', () => {
    expect(check('Giam.Sat.Vien', 'giam.sat.vien')?.message).toMatch(/tên đăng nhập/);
    expect(check('giam.sat.vien2', 'giam.sat.vien')).toBeNull();
  });
  it('refuses a common password, whatever its case', () => {
    expect(check('Password123')?.message).toMatch(/phổ biến/);
    expect(check('Password1234')).toBeNull();
  });
  it('defaults the field to "Mật khẩu"', () => {
    expect(passwordRuleProblem('short', { common })).toEqual({
      path: 'password',
      message: 'Mật khẩu: cần ít nhất 10 ký tự',
    });
  });
});
