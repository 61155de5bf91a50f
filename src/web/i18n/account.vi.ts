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
  // Issue 10, item 13: a server in demo mode says so on every page.
  demoBanner: 'Chế độ trình diễn — dữ liệu và mật khẩu mẫu',
  demoBannerDetail: 'Không nhập dữ liệu thật của người dân vào máy chủ này.',
  // Issue 10, item 6: an administrator sees and lifts the holds on logging in as a user.
  blocksTitle: 'Đăng nhập sai',
  blocksNone: 'Không có lần đăng nhập sai nào gần đây.',
  blocksLine: '{{client}}: {{failures}} lần sai, lần cuối {{at}}',
  blocksHeld: 'Đang bị chặn đến {{until}}',
  blocksLift: 'Gỡ chặn đăng nhập',
  blocksLifted: 'Đã gỡ chặn đăng nhập',
};
export default accountVi;
