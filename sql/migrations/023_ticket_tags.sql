-- Tickets take tags like accounts and contacts: the same tags table, so
-- one vocabulary across the CRM.
ALTER TABLE tag_links MODIFY entity ENUM('account', 'contact', 'ticket') NOT NULL;
