-- CalDAV and CardDAV (crm-dav): what phones and desktop clients need to
-- sync both ways without reading every record.
--
-- dav_version: a number from one sequence, set by a trigger on every
-- insert and update of a contact or an activity, whichever module or job
-- writes it (imports and merges included). An ETag is "<id>-<version>",
-- a collection's ctag its largest version, and a sync token the largest
-- version a client has seen: a sync reads only rows after it, through
-- the indexes below (a soft delete is an update, so it is seen too).
-- dav_name: the resource name a client chose when it created the record
-- over DAV ("3f2a….ics"); records made in the CRM are "activity-<id>.ics"
-- and "contact-<id>.vcf". dav_uid: the client's UID, kept so the client
-- finds its own item again; NULL gives "activity-<id>@crm".
CREATE SEQUENCE dav_version_seq START WITH 1 INCREMENT BY 1 NOCACHE;

ALTER TABLE contacts
  ADD COLUMN dav_version BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN dav_name VARCHAR(200) NULL,
  ADD COLUMN dav_uid VARCHAR(255) NULL,
  ADD KEY contacts_dav_version (dav_version),
  ADD KEY contacts_dav_name (dav_name),
  ADD KEY contacts_dav_uid (dav_uid);

ALTER TABLE activities
  ADD COLUMN dav_version BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN dav_name VARCHAR(200) NULL,
  ADD COLUMN dav_uid VARCHAR(255) NULL,
  ADD KEY activities_dav_version (assignee_id, dav_version),
  ADD KEY activities_dav_name (assignee_id, dav_name),
  ADD KEY activities_dav_uid (assignee_id, dav_uid);

UPDATE contacts SET dav_version = NEXT VALUE FOR dav_version_seq;
UPDATE activities SET dav_version = NEXT VALUE FOR dav_version_seq;

CREATE TRIGGER contacts_dav_insert BEFORE INSERT ON contacts FOR EACH ROW
  SET NEW.dav_version = NEXT VALUE FOR dav_version_seq;
CREATE TRIGGER contacts_dav_update BEFORE UPDATE ON contacts FOR EACH ROW
  SET NEW.dav_version = NEXT VALUE FOR dav_version_seq;
CREATE TRIGGER activities_dav_insert BEFORE INSERT ON activities FOR EACH ROW
  SET NEW.dav_version = NEXT VALUE FOR dav_version_seq;
CREATE TRIGGER activities_dav_update BEFORE UPDATE ON activities FOR EACH ROW
  SET NEW.dav_version = NEXT VALUE FOR dav_version_seq;
