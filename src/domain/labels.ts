import type { Action, Role, SiteKind } from './access.ts';

/** Names of roles and site kinds as the seeds and the ministry write them. */
export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  province: {
    vi: 'Sở Y tế / CDC / Ban Chỉ đạo tỉnh',
    en: 'Province (health department, CDC, steering committee)',
  },
  district_health: { vi: 'Trung tâm Y tế huyện', en: 'District health centre' },
  commune_health: { vi: 'Trạm Y tế xã', en: 'Commune health station' },
  community_team: { vi: 'Tổ COVID cộng đồng', en: 'Community COVID team' },
  checkpoint_officer: { vi: 'Cán bộ chốt kiểm dịch', en: 'Checkpoint officer' },
  lodging_operator: { vi: 'Cơ sở lưu trú', en: 'Lodging operator' },
  lab: { vi: 'Phòng xét nghiệm', en: 'Laboratory' },
  facility_manager: { vi: 'Quản lý cơ sở cách ly', en: 'Quarantine facility manager' },
  vaccination_site: { vi: 'Điểm tiêm chủng', en: 'Vaccination site' },
  border_officer: { vi: 'Cán bộ cửa khẩu / vận tải', en: 'Border / transport officer' },
  test_reporter: {
    vi: 'Trường học / doanh nghiệp báo kết quả xét nghiệm',
    en: 'School / enterprise reporting test results',
  },
  // issue 17 (green lane)
  transport_company: { vi: 'Doanh nghiệp vận tải', en: 'Transport company' },
  transport_authority: { vi: 'Sở Giao thông vận tải', en: 'Transport department' },
};

export const SITE_KIND_LABELS: Record<SiteKind, { vi: string; en: string }> = {
  checkpoint: { vi: 'Chốt kiểm dịch', en: 'Checkpoint' },
  airport: { vi: 'Cảng hàng không', en: 'Airport' },
  border_post: { vi: 'Đồn biên phòng', en: 'Border post' },
  lodging: { vi: 'Cơ sở lưu trú', en: 'Lodging' },
  lab: { vi: 'Phòng xét nghiệm', en: 'Laboratory' },
  facility: { vi: 'Cơ sở cách ly', en: 'Quarantine facility' },
  vaccination_site: { vi: 'Điểm tiêm chủng', en: 'Vaccination site' },
  border_gate: { vi: 'Cửa khẩu', en: 'Border gate' },
  school: { vi: 'Trường học', en: 'School' },
  enterprise: { vi: 'Doanh nghiệp', en: 'Enterprise' },
  venue: { vi: 'Địa điểm công cộng', en: 'Venue' },
  // issue 17 (green lane)
  transport_company: { vi: 'Doanh nghiệp vận tải', en: 'Transport company' },
  transit_yard: { vi: 'Bãi trung chuyển', en: 'Transit yard' },
};

// --- issue 16 item 7: what each permission lets a user do, in words (vi + en) ---

export const ACTION_LABELS: Record<Action, { vi: string; en: string }> = {
  'users.read': { vi: 'Xem tài khoản người dùng', en: 'See user accounts' },
  'users.manage': {
    vi: 'Tạo, sửa, khoá tài khoản và cấp vai trò',
    en: 'Create, edit and disable accounts; grant roles',
  },
  'audit.read': { vi: 'Xem nhật ký truy cập', en: 'Read the access log' },
  'geo.read': { vi: 'Xem đơn vị hành chính', en: 'See administrative units' },
  'villages.read': { vi: 'Xem thôn/bản, tổ dân phố', en: 'See villages and residential groups' },
  'villages.write': { vi: 'Thêm, sửa thôn/bản', en: 'Add and edit villages' },
  'sites.read': {
    vi: 'Xem địa điểm (chốt, phòng xét nghiệm…)',
    en: 'See sites (checkpoints, labs…)',
  },
  'sites.manage': { vi: 'Thêm, sửa địa điểm', en: 'Add and edit sites' },
  'persons.read': { vi: 'Xem hồ sơ người dân', en: "Read people's records" },
  'persons.write': {
    vi: 'Đăng ký, sửa hồ sơ người dân',
    en: "Register and correct people's records",
  },
  'persons.merge': { vi: 'Gộp hồ sơ trùng', en: 'Merge duplicate records' },
  'households.read': { vi: 'Xem hộ gia đình', en: 'See households' },
  'households.write': { vi: 'Sửa hộ gia đình', en: 'Edit households' },
  'areas.manage': { vi: 'Khai báo vùng dịch', en: 'Declare epidemic areas' },
  'entries.read': { vi: 'Xem lượt ra vào', en: 'See entries' },
  'entries.write': { vi: 'Ghi nhận người vào tại chốt', en: 'Record entries at a checkpoint' },
  'entries.override': {
    vi: 'Sửa phân loại người vào (có lý do)',
    en: 'Override an entry classification (with a reason)',
  },
  'entries.stats': { vi: 'Xem thống kê ra vào', en: 'See entry figures' },
  'followups.read': { vi: 'Xem danh sách theo dõi người về', en: 'See arrival follow-ups' },
  'followups.write': { vi: 'Ghi kết quả theo dõi người về', en: 'Record arrival follow-ups' },
  'cases.read': { vi: 'Xem ca bệnh', en: 'See cases' },
  'cases.write': { vi: 'Mở, cập nhật ca bệnh', en: 'Open and update cases' },
  'contacts.read': { vi: 'Xem người tiếp xúc (F1, F2)', en: 'See contacts (F1, F2)' },
  'contacts.write': { vi: 'Ghi, xác nhận người tiếp xúc', en: 'Record and confirm contacts' },
  'clusters.read': { vi: 'Xem ổ dịch, phong toả', en: 'See clusters and lockdowns' },
  'clusters.write': { vi: 'Quản lý ổ dịch, phong toả', en: 'Manage clusters and lockdowns' },
  'venues.read': { vi: 'Xem địa điểm dịch tễ', en: 'See venues' },
  'venues.write': { vi: 'Đăng ký địa điểm dịch tễ', en: 'Register venues' },
  'tests.read': { vi: 'Xem xét nghiệm', en: 'See tests' },
  'tests.order': {
    vi: 'Chỉ định xét nghiệm, đợt sàng lọc',
    en: 'Order tests and screening rounds',
  },
  'tests.write': { vi: 'Lấy mẫu, nhập kết quả', en: 'Take samples, enter results' },
  'tests.import': { vi: 'Nhập tệp kết quả', en: 'Import result files' },
  'tests.stats': { vi: 'Xem số liệu xét nghiệm', en: 'See testing figures' },
  'pools.write': { vi: 'Gộp mẫu', en: 'Pool samples' },
  'labs.manage': { vi: 'Quản lý công suất phòng xét nghiệm', en: 'Manage lab capacity' },
  'fhir.exchange': { vi: 'Trao đổi dữ liệu FHIR', en: 'Exchange FHIR data' },
  'vaccinations.read': { vi: 'Xem mũi tiêm', en: 'See vaccinations' },
  'vaccinations.write': { vi: 'Ghi mũi tiêm, khám sàng lọc', en: 'Record doses and screenings' },
  'vaccines.manage': { vi: 'Quản lý vắc xin, lô, kho', en: 'Manage vaccines, lots and stock' },
  'coverage.read': { vi: 'Xem tỷ lệ bao phủ tiêm chủng', en: 'See vaccination coverage' },
  'certificates.issue': { vi: 'Cấp chứng nhận tiêm chủng', en: 'Issue vaccination certificates' },
  'certificates.trust': {
    vi: 'Quản lý danh sách tin cậy chứng nhận',
    en: 'Manage the certificate trust list',
  },
  'facilities.read': {
    vi: 'Xem cơ sở cách ly, điều trị',
    en: 'See quarantine and care facilities',
  },
  'facilities.manage': { vi: 'Quản lý cơ sở cách ly, điều trị', en: 'Manage facilities' },
  'admissions.read': { vi: 'Xem người đang cách ly, điều trị', en: 'See admissions' },
  'admissions.write': { vi: 'Tiếp nhận, chuyển, cho ra', en: 'Admit, transfer and release' },
  'care.read': { vi: 'Xem theo dõi F0 tại nhà', en: 'See home care of F0' },
  'care.write': { vi: 'Ghi chỉ số theo dõi F0', en: 'Record F0 readings' },
  'alerts.read': { vi: 'Xem cảnh báo', en: 'See alerts' },
  'alerts.write': { vi: 'Xử lý cảnh báo', en: 'Handle alerts' },
  'capacity.read': { vi: 'Xem công suất giường', en: 'See bed capacity' },
  'levels.read': { vi: 'Xem cấp độ dịch', en: 'See epidemic levels' },
  'levels.publish': { vi: 'Công bố cấp độ dịch', en: 'Publish epidemic levels' },
  'levels.capacity': { vi: 'Nhập năng lực điều trị', en: 'Enter treatment capacity' },
  'dashboard.read': { vi: 'Xem tình hình dịch', en: 'See the situation dashboard' },
  'projections.run': { vi: 'Chạy dự báo', en: 'Run projections' },
  'reports.steering': { vi: 'Lập báo cáo Ban Chỉ đạo', en: 'Write steering committee reports' },
  'records.backdate': {
    vi: 'Nhập hồ sơ giấy quá hạn (có lý do)',
    en: 'Enter older paper records (with a reason)',
  },
  'rulesets.read': { vi: 'Xem bộ quy tắc', en: 'Read rule sets' },
  'rulesets.manage': { vi: 'Thêm phiên bản bộ quy tắc', en: 'Add rule set versions' },
  'greenlane.apply': { vi: 'Đăng ký luồng xanh', en: 'Apply for green-lane permits' },
  'greenlane.read': { vi: 'Xem hồ sơ luồng xanh', en: 'See green-lane applications' },
  'greenlane.decide': { vi: 'Duyệt, từ chối luồng xanh', en: 'Grant or refuse green-lane permits' },
  'greenlane.manage': { vi: 'Quản lý tuyến luồng xanh', en: 'Manage green-lane routes' },
  'greenlane.pass': { vi: 'Ghi nhận xe qua chốt, bãi, cửa khẩu', en: 'Record vehicle passages' },
  'gates.board': { vi: 'Xem bảng cửa khẩu', en: 'See the border gate board' },
  'greenlane.alerts': {
    vi: 'Xem và đóng cảnh báo xe rời vòng khép kín',
    en: 'See and close alerts of vehicles leaving the closed loop',
  },
  // issue 17 item 5 (border posts)
  'border.read': {
    vi: 'Xem báo cáo tuần tra, vụ nhập cảnh trái phép và số liệu',
    en: 'Read patrol reports, illegal-entry incidents and their counts',
  },
  'border.write': {
    vi: 'Báo cáo tuần tra, vụ nhập cảnh trái phép; đưa người đi cách ly tập trung',
    en: 'Report patrols and illegal entries; send the people to centralised quarantine',
  },
  // issue 18 (supplies, enforcement)
  'supplies.read': { vi: 'Xem tồn kho vật tư', en: 'Read supply stock' },
  'supplies.write': {
    vi: 'Nhập, xuất, điều chuyển, kiểm kê vật tư',
    en: 'Receive, issue, transfer and count supplies',
  },
  'supplies.manage': { vi: 'Quản lý danh mục vật tư', en: 'Keep the supply catalogue' },
  'violations.read': { vi: 'Xem vi phạm và xử phạt', en: 'Read violations and fines' },
  'violations.write': {
    vi: 'Lập vi phạm, quyết định xử phạt, ghi nộp phạt',
    en: 'Record violations, decide fines, record payments',
  },
  // issue 18 item 2 (community teams)
  'teams.read': {
    vi: 'Xem tổ COVID cộng đồng, việc cần làm và báo cáo tuần',
    en: 'Read community teams, their tasks and weekly reports',
  },
  'teams.manage': {
    vi: 'Lập tổ COVID cộng đồng, thành viên, phân công hộ',
    en: 'Set up community teams, members and households',
  },
  'teams.work': { vi: 'Ghi kết quả đến thăm hộ', en: 'Record household visits' },
  // issue 18 item 4 (workplaces and schools)
  'workplaces.read': {
    vi: 'Xem nguy cơ, ổ dịch của nơi làm việc, trường học',
    en: 'Read the risk of workplaces and schools',
  },
  'workplaces.manage': {
    vi: 'Đăng ký nơi làm việc, trường học',
    en: 'Register workplaces and schools',
  },
  'workplaces.assess': {
    vi: 'Tự đánh giá an toàn COVID-19 của cơ sở',
    en: "Send the workplace's COVID-safety self-assessment",
  },
};

/**
 * Each role's work in one sentence, shown beside its permissions. The administrator's line is
 * a decision (SECURITY.md): it keeps accounts, units, sites and the access log, and reads no
 * one's health data; whoever must see people, cases or coverage is given a health role.
 */
export const ROLE_DUTIES: Record<Role, { vi: string; en: string }> = {
  admin: {
    vi: 'Quản lý tài khoản, cấp vai trò, đơn vị, địa điểm và xem nhật ký. Không xem dữ liệu cá nhân, ca bệnh hay tiêm chủng: ai cần xem thì được cấp một vai trò y tế.',
    en: "Keeps accounts, grants roles, keeps units and sites, reads the access log. Reads no one's personal, case or vaccination data: whoever needs them is granted a health role.",
  },
  province: {
    vi: 'Nắm tình hình toàn tỉnh, công bố cấp độ dịch, điều phối truy vết, xét nghiệm, cách ly, tiêm chủng.',
    en: 'Follows the whole province, publishes levels, steers tracing, testing, quarantine and vaccination.',
  },
  district_health: {
    vi: 'Quản lý ca bệnh, xét nghiệm, cách ly, tiêm chủng trong huyện.',
    en: 'Manages cases, testing, quarantine and vaccination in the district.',
  },
  commune_health: {
    vi: 'Theo dõi người về, ca bệnh, F0 tại nhà, tiêm chủng của xã.',
    en: 'Follows arrivals, cases, home care and vaccination in the commune.',
  },
  community_team: {
    vi: 'Đến từng hộ: theo dõi người về, người tiếp xúc, chỉ số F0 tại nhà.',
    en: 'Visits households: arrivals, contacts and home-care readings.',
  },
  checkpoint_officer: {
    vi: 'Quét mã khai báo và ghi nhận người vào tại chốt.',
    en: 'Scans declarations and records entries at the checkpoint.',
  },
  lodging_operator: {
    vi: 'Ghi nhận khách lưu trú.',
    en: 'Records the guests who stay.',
  },
  lab: {
    vi: 'Nhận mẫu, gộp mẫu, nhập kết quả và tệp kết quả.',
    en: 'Receives and pools samples, enters and imports results.',
  },
  facility_manager: {
    vi: 'Tiếp nhận, theo dõi và cho ra người ở cơ sở cách ly.',
    en: 'Admits, follows and releases people at the facility.',
  },
  vaccination_site: {
    vi: 'Khám sàng lọc, ghi mũi tiêm và cấp chứng nhận.',
    en: 'Screens, records doses and issues certificates.',
  },
  border_officer: {
    vi: 'Xem địa điểm cửa khẩu.',
    en: 'Sees the border sites.',
  },
  transport_company: {
    vi: 'Đăng ký xe, tổ lái và xin giấy luồng xanh.',
    en: 'Registers vehicles and crews and applies for green-lane permits.',
  },
  transport_authority: {
    vi: 'Duyệt luồng xanh, quản lý tuyến, xem bảng cửa khẩu.',
    en: 'Grants green-lane permits, keeps routes, reads the gate board.',
  },
  test_reporter: {
    vi: 'Báo kết quả xét nghiệm của người trong trường học / doanh nghiệp.',
    en: 'Reports the test results of its school or enterprise.',
  },
};
// --- end issue 16 item 7 ---
