-- A deal is won, or lost, for a reason: the stage move asks for one in
-- both cases (required when lost, optional when won).
ALTER TABLE opportunities ADD COLUMN won_reason VARCHAR(200) NOT NULL DEFAULT '' AFTER lost_reason;
