-- The forecast's accuracy rebuilds, for each past month, the stage each
-- deal closing in it was in at the month's start: these keys let it read
-- only indexes (the deals by close date with owner and deletion, the
-- history by deal with its span, stage and amount).
ALTER TABLE opportunities ADD KEY opportunities_close_owner (close_date, deleted_at, owner_id);
ALTER TABLE opportunity_stage_history
  ADD KEY stage_history_span (opportunity_id, entered_at, left_at, stage_id, amount);
