-- The agent's queues list open tickets newest first. With the status as
-- a list of three values, MariaDB had to sort all of an agent's open
-- tickets (56,000 of them at 500,000 tickets) for each page; a stored
-- "open" flag lets each queue walk one index range in id order and stop
-- at the page's end.
ALTER TABLE tickets
  ADD COLUMN is_open BOOLEAN AS (status IN ('new', 'open', 'pending')) STORED,
  ADD KEY tickets_owner_open (owner_id, is_open, deleted_at, id),
  ADD KEY tickets_team_open (team_id, is_open, deleted_at, id);
