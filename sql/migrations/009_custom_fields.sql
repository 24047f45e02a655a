-- Custom fields: an admin defines extra fields per entity (Admin → Custom
-- fields); accounts and contacts show, validate, store, audit and search
-- them like built-in ones.
--
-- Definitions. A field is never deleted, only deactivated (active = FALSE):
-- its values stay, so reactivating it or reading old audit rows still
-- makes sense. choices is a JSON array of strings for type 'choice'.
CREATE TABLE custom_fields (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  entity ENUM('account', 'contact') NOT NULL,
  label VARCHAR(100) NOT NULL,
  type ENUM('text', 'number', 'date', 'choice') NOT NULL,
  choices TEXT NULL,
  position INT NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY custom_fields_entity (entity, active, position, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Values: one row per (record, field) that has a value, not a column per
-- field (an ALTER TABLE of a million contacts for each new field) and not
-- a JSON column (which no B-tree indexes per field). Like tag_links, the
-- row is named by its key, so it has no id of its own.
--
-- value_text holds every value in its canonical text (what the page
-- shows, the search index reads and the audit log keeps); a number also
-- goes in value_num and a date in value_date, so they compare and sort as
-- numbers and dates.
--
-- Keys:
-- * PRIMARY (entity, record_id, field_id): a record's values are one
--   range read (the record page, the form, the search index row), and a
--   list filtered on a custom field checks each row it walks with one
--   probe of this key (an EXISTS like the tag filter's), so the list
--   keeps walking its order's index and paging by keyset.
-- * (field_id, value_..., record_id): the other direction, from a value
--   to its records, for a semi-join driven by the value (which records
--   have "Gold" in Tier), and for range filters on numbers and dates.
--   record_id ends each key so those lookups are covering.
CREATE TABLE custom_values (
  entity ENUM('account', 'contact') NOT NULL,
  record_id BIGINT UNSIGNED NOT NULL,
  field_id BIGINT UNSIGNED NOT NULL,
  value_text VARCHAR(500) NOT NULL,
  value_num DECIMAL(21,6) NULL,
  value_date DATE NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (entity, record_id, field_id),
  KEY custom_values_text (field_id, value_text, record_id),
  KEY custom_values_num (field_id, value_num, record_id),
  KEY custom_values_date (field_id, value_date, record_id),
  CONSTRAINT custom_values_field FOREIGN KEY (field_id) REFERENCES custom_fields (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
