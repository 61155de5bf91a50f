/** Issue 10, item 8: one's own password and sessions, Vietnamese. */
const accountVi = {
  changePassword: 'Đổi mật khẩu',
  mustChange:
    'Quản trị viên đã đặt lại mật khẩu của bạn. Hãy chọn mật khẩu mới trước khi tiếp tục làm việc.',
  currentPassword: 'Mật khẩu hiện tại',
  newPassword: 'Mật khẩu mới',
  confirmPassword: 'Nhập lại mật khẩu mới',
  mismatch: 'Nhập lại mật khẩu mới: không khớp',
  rules: 'Ít nhất 10 ký tự, không trùng tên đăng nhập, không phải mật khẩu phổ biến.',
  save: 'Lưu mật khẩu mới',
  changed: 'Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc',
  back: 'Quay lại',
  sessions: 'Các phiên đăng nhập',
  sessionCurrent: 'Phiên này',
  sessionEnd: 'Kết thúc',
  sessionSeen: 'Lần cuối: {{at}}',
  sessionStarted: 'Đăng nhập: {{at}}',
  sessionEndConfirm: 'Kết thúc phiên đăng nhập trên {{device}}? Thiết bị đó sẽ phải đăng nhập lại.',
  sessionEnded: 'Đã kết thúc phiên',
};
export default accountVi;
