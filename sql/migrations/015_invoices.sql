-- The invoice list pages newest first (issued_on DESC, id DESC), for
-- everyone and for one owner (a sales user's own scope): without these
-- keys each page would sort every invoice in reach. The owner's key also
-- serves the invoices_owner foreign key, whose implicit index InnoDB then
-- drops.
ALTER TABLE invoices
  ADD KEY invoices_issued (issued_on, id),
  ADD KEY invoices_owner_issued (owner_id, issued_on, id);
