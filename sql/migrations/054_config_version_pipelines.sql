-- More of what the workers keep until config_version moves
-- (lib/crm_confcache.c): read on every request of a main screen, changed
-- rarely. The pipelines and their stages (the board, the deal form), the
-- custom fields and each user's saved views (the contact list and search),
-- and the sales forecast (the sales dashboard), which only the analytics
-- run writes.
CREATE TRIGGER pipelines_config_insert AFTER INSERT ON pipelines FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER pipelines_config_update AFTER UPDATE ON pipelines FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
-- A pipeline's stages go by ON DELETE CASCADE, which fires no trigger.
CREATE TRIGGER pipelines_config_delete AFTER DELETE ON pipelines FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER pipeline_stages_config_insert AFTER INSERT ON pipeline_stages FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER pipeline_stages_config_update AFTER UPDATE ON pipeline_stages FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER pipeline_stages_config_delete AFTER DELETE ON pipeline_stages FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER custom_fields_config_insert AFTER INSERT ON custom_fields FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER custom_fields_config_update AFTER UPDATE ON custom_fields FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER custom_fields_config_delete AFTER DELETE ON custom_fields FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER saved_views_config_insert AFTER INSERT ON saved_views FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER saved_views_config_update AFTER UPDATE ON saved_views FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER saved_views_config_delete AFTER DELETE ON saved_views FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
-- The analytics run replaces the forecast in one transaction: the version
-- moves once per row, committed with it.
CREATE TRIGGER sales_forecast_config_insert AFTER INSERT ON sales_forecast FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER sales_forecast_config_update AFTER UPDATE ON sales_forecast FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER sales_forecast_config_delete AFTER DELETE ON sales_forecast FOR EACH ROW
  UPDATE config_version SET version = version + 1 WHERE id = 1;
