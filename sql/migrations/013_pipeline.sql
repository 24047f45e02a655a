-- The board: its column totals are GROUP BYs read from this index alone
-- (a stage names its pipeline; live deals; the range of close dates the
-- column shows; the owner filter; the amounts), never from the rows, and
-- won and lost columns read only the filter's months. The cards walk
-- opportunities_board (011), whose order is the board's.
ALTER TABLE opportunities
  ADD KEY opportunities_totals (stage_id, deleted_at, close_date, owner_id, amount, probability);
