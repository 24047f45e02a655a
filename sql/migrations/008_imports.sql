-- CSV imports of contacts. The uploaded file waits in the spool directory
-- ([jobs] spool) as import-<id>.csv; the module's job runner
-- (crm-customers jobs) reads it in batches of 100 rows, each batch one
-- transaction that also moves rows_done, so a runner that stops resumes
-- after the last whole batch and a cancelled import leaves no half batch.
CREATE TABLE imports (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id BIGINT UNSIGNED NOT NULL,
  filename VARCHAR(255) NOT NULL,
  file_size BIGINT UNSIGNED NOT NULL,
  headers JSON NOT NULL,                -- the file's first row
  mapping JSON NULL,                    -- per column: a field name or ""
  duplicates ENUM('skip', 'update', 'create') NOT NULL DEFAULT 'skip',
  status ENUM('mapping', 'queued', 'running', 'cancelling', 'cancelled', 'done', 'failed')
    NOT NULL DEFAULT 'mapping',
  total_rows BIGINT UNSIGNED NOT NULL,  -- data rows, counted at upload
  rows_done BIGINT UNSIGNED NOT NULL DEFAULT 0,
  rows_created BIGINT UNSIGNED NOT NULL DEFAULT 0,
  rows_updated BIGINT UNSIGNED NOT NULL DEFAULT 0,
  rows_skipped BIGINT UNSIGNED NOT NULL DEFAULT 0,
  rows_failed BIGINT UNSIGNED NOT NULL DEFAULT 0,
  error VARCHAR(500) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  heartbeat_at DATETIME NULL,           -- a running job whose runner went quiet is taken over
  PRIMARY KEY (id),
  KEY imports_user (user_id, id),
  KEY imports_status (status, id),
  CONSTRAINT imports_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The rows an import refused or skipped as duplicates: the error CSV.
-- problems is [[field, message msgid], ...], translated when downloaded.
CREATE TABLE import_problems (
  import_id BIGINT UNSIGNED NOT NULL,
  line BIGINT UNSIGNED NOT NULL,        -- the row's number in the file, header = 1
  problems JSON NOT NULL,
  duplicate_of BIGINT UNSIGNED NULL,
  raw JSON NOT NULL,                    -- the row's fields as read
  PRIMARY KEY (import_id, line),
  CONSTRAINT import_problems_import FOREIGN KEY (import_id) REFERENCES imports (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Importing creates records in bulk: its own permission, which managers
-- have (admins have everything).
INSERT INTO role_permissions (role_id, permission)
SELECT id, 'customers.import' FROM roles WHERE name = 'manager';
