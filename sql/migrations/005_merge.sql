-- Merging duplicates: the contact that was merged away keeps its row (in
-- the trash) and says where it went, so an old link still finds the
-- survivor.
ALTER TABLE contacts
  ADD COLUMN merged_into BIGINT UNSIGNED NULL AFTER deleted_at;
