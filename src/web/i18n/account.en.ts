import type accountVi from './account.vi.ts';

/** Issue 10, item 8: one's own password and sessions, English. */
const accountEn: typeof accountVi = {
  changePassword: 'Change password',
  mustChange: 'An administrator reset your password. Choose a new one before you continue.',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmPassword: 'New password again',
  mismatch: 'New password again: does not match',
  rules: 'At least 10 characters, not your username, not a common password.',
  save: 'Save the new password',
  changed: 'Password changed; your other sessions have ended',
  back: 'Back',
  sessions: 'Sessions',
  sessionCurrent: 'This session',
  sessionEnd: 'End',
  sessionSeen: 'Last seen: {{at}}',
  sessionStarted: 'Logged in: {{at}}',
  sessionEndConfirm: 'End the session on {{device}}? That device will have to log in again.',
  demoBanner: 'Demo mode — sample data and passwords',
  demoBannerDetail: 'Do not enter real residents’ data on this server.',
  blocksTitle: 'Failed logins',
  blocksNone: 'No recent failed logins.',
  blocksLine: '{{client}}: {{failures}} failed, last at {{at}}',
  blocksHeld: 'Held back until {{until}}',
  blocksLift: 'Lift the login hold',
  blocksLifted: 'Login hold lifted',
  sessionEnded: 'Session ended',
};
export default accountEn;
