-- The invoice list pages newest first (issued_on DESC, id DESC), for
-- everyone and for one owner (a sales user's own scope): without these
-- keys each page would sort every invoice in reach.
ALTER TABLE invoices
  ADD KEY invoices_issued (issued_on, id),
  ADD KEY invoices_owner (owner_id, issued_on, id);
