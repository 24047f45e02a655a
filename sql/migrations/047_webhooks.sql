-- Webhooks and notifications (issue 9): what the scaffold's tables (043)
-- need beyond themselves. The notification runner's scans read only what
-- is close to due, so each needs an index that starts with what it
-- filters on: at 1M contacts a pass reads a few index pages, not a table.

-- Tasks not done, by due time: "due within the hour or overdue".
ALTER TABLE activities ADD KEY activities_due (kind, done_at, at, id);
-- Open tickets by first-response due time (resolution_due already has
-- tickets_due (status, resolution_due, id)).
ALTER TABLE tickets ADD KEY tickets_first_response_due (status, first_response_due, id);
-- The digest: unread, un-mailed notifications of a user, oldest first.
ALTER TABLE notifications ADD KEY notifications_digest (user_id, emailed_at, read_at, id);
-- Users who asked for a digest, by when they last had one.
ALTER TABLE users ADD KEY users_notify_digest (notify_digest, notify_digest_at);

-- The deliverer's schedule, read each pass so a test (or an admin) can
-- shorten it: the waits in seconds after each failed attempt, then give
-- up; and how many failures in a row switch a hook off.
INSERT INTO settings (name, value) VALUES
  ('webhook_retry_seconds', '60,300,1800,7200,43200'),
  ('webhook_disable_after', '15'),
  ('webhook_timeout_seconds', '10'),
  -- Delivered and given-up deliveries stay in the log this long.
  ('webhook_keep_days', '30'),
  -- Tickets whose response or resolution falls due within this many
  -- minutes are announced to their owner.
  ('notify_sla_minutes', '30'),
  -- The digest goes out once a day, at or after this UTC hour.
  ('notify_digest_hour', '7');

-- A hook switched off after repeated failures is news for the admins:
-- one more kind of notification (the others as in 043).
ALTER TABLE notifications MODIFY kind ENUM('assigned', 'mention', 'task_due', 'sla_warning',
  'quote_approved', 'rule', 'mail', 'webhook') NOT NULL;
