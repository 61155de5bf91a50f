import type { Role, SiteKind } from './access.ts';

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
