-- The quotes list walks quotes newest first (as leads, orders and
-- invoices walk leads_created, orders_date and invoices_issued), so a
-- page reads 51 rows, not a sort of every quote.
ALTER TABLE quotes ADD KEY quotes_created (created_at, id);
