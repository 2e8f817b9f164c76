-- Entities keep the providers' own ids (football-data.org's team id) and whether an alias knows their
-- name (docs/topics.md, entities.clean). A name no alias knows is an entity of its own until an alias
-- for it arrives; the view unresolved_names lists those names, with how many events name them, so a
-- user can add the alias (./eventflow aliases add), after which the stream processor moves their
-- events to the canonical entity and these rows go.

ALTER TABLE entities ADD COLUMN provider_refs TEXT    NOT NULL DEFAULT '[]';
ALTER TABLE entities ADD COLUMN aliased       BOOLEAN NOT NULL DEFAULT TRUE;

CREATE VIEW unresolved_names AS
SELECT e.sport,
       e.name,
       e.id AS entity_id,
       e.provider_refs,
       (SELECT count(*) FROM events v WHERE v.home_entity_id = e.id OR v.away_entity_id = e.id) AS events,
       e.updated_at AS last_seen
FROM entities e
WHERE NOT e.aliased;
