-- The accounts list sorted newest first walks this index (contacts have
-- contacts_created since 004).
ALTER TABLE accounts ADD KEY accounts_created (created_at, id);
