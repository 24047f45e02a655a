-- A contact's export and erasure reach the duplicates merged into it
-- (each keeps its own copy of the person's data in the trash) and the
-- rows an import skipped as its duplicates (import_problems.raw holds the
-- row as read): by index, since an erasure's UPDATE locks what it scans.
ALTER TABLE contacts
  ADD KEY contacts_merged (merged_into);
ALTER TABLE import_problems
  ADD KEY import_problems_duplicate (duplicate_of);

-- An erased contact is never reached again, whatever later writes its
-- row (the contact form, an import updating a duplicate): its consent
-- flags stay off.
CREATE TRIGGER contacts_erased_no_consent BEFORE UPDATE ON contacts FOR EACH ROW
  IF NEW.erased_at IS NOT NULL THEN
    SET NEW.consent_email = FALSE, NEW.consent_sms = FALSE, NEW.consent_phone = FALSE;
  END IF;
