-- The board: its column totals are one GROUP BY per pipeline read from
-- this index alone (stage, live deals in the filter's close months, the
-- owner filter, the amounts), never from the rows. The cards walk
-- opportunities_board (011), whose order is the board's.
ALTER TABLE opportunities
  ADD KEY opportunities_totals (pipeline_id, stage_id, deleted_at, close_date, owner_id, amount, probability);
