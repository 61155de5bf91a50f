-- Issue 18 item 2: community COVID teams (tổ COVID cộng đồng) of a village. Members are persons
-- of the registry; the leader works through an account (role community_team placed at the
-- village); each household is looked after by at most one team. A team's task list is read from
-- the modules' own tables (follow-ups, home treatment, vaccination status); the only thing
-- recorded here is a visit to an unvaccinated person, which no module records.
CREATE TABLE community_teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid UNIQUE,
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL REFERENCES admin_units (code),
  village_id uuid NOT NULL REFERENCES villages (id),
  name text NOT NULL,
  leader_user_id uuid REFERENCES users (id),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_teams_village ON community_teams (village_id, id);
CREATE INDEX community_teams_commune ON community_teams (commune_code, id);
CREATE INDEX community_teams_district ON community_teams (district_code, id);
CREATE INDEX community_teams_province ON community_teams (province_code, id);
CREATE INDEX community_teams_leader ON community_teams (leader_user_id) WHERE leader_user_id IS NOT NULL;

CREATE TABLE community_team_members (
  team_id uuid NOT NULL REFERENCES community_teams (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id),
  role text NOT NULL CHECK (role IN ('leader', 'member')),
  added_by uuid,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, person_id)
);
CREATE INDEX community_team_members_person ON community_team_members (person_id);

-- One team per household: assigning a household to another team moves it.
CREATE TABLE community_team_households (
  household_id uuid PRIMARY KEY REFERENCES households (id),
  team_id uuid NOT NULL REFERENCES community_teams (id) ON DELETE CASCADE,
  village_id uuid NOT NULL REFERENCES villages (id),
  assigned_by uuid,
  assigned_at timestamptz NOT NULL DEFAULT now()
);
-- The task list starts here: the team's households, then their members by household_members' key.
CREATE UNIQUE INDEX community_team_households_team ON community_team_households (team_id, household_id);

-- A visit to an unvaccinated person (the vaccination module has no such record): idempotent by
-- client_id, for the phone's outbox.
CREATE TABLE community_team_visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL UNIQUE,
  team_id uuid NOT NULL REFERENCES community_teams (id),
  household_id uuid NOT NULL REFERENCES households (id),
  person_id uuid NOT NULL REFERENCES persons (id),
  province_code text NOT NULL,
  district_code text NOT NULL,
  commune_code text NOT NULL,
  village_id uuid NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('will_vaccinate', 'refused', 'not_home', 'exempt')),
  note text,
  at timestamptz NOT NULL,
  visited_on date NOT NULL,
  recorded_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_team_visits_person ON community_team_visits (person_id, visited_on);
CREATE INDEX community_team_visits_team ON community_team_visits (team_id, visited_on);

-- F0 at home, found from a person (the task list and the weekly report reach them through the
-- team's households).
CREATE INDEX care_treatments_person_home ON care_treatments (person_id, status) WHERE tier = 'home';
