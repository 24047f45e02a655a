-- The country an import assumes for a row without one, so that national
-- phone numbers ("138 0013 8000") become E.164 ("+8613800138000").
ALTER TABLE imports ADD COLUMN country CHAR(2) NOT NULL DEFAULT '' AFTER duplicates;
