-- Since 0.6 a database can hold several subscribers of the same source (tenant schemas of one template): a ledger row
-- names the subscriber it was applied for ('' for a remote, which takes the whole database). Idempotent.
ALTER TABLE gitversion_sync.applied ADD COLUMN IF NOT EXISTS subscriber text NOT NULL DEFAULT '';
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint
                  WHERE conrelid = 'gitversion_sync.applied'::regclass AND contype = 'p' AND pg_catalog.array_length(conkey, 1) = 3) THEN
    ALTER TABLE gitversion_sync.applied DROP CONSTRAINT IF EXISTS applied_pkey;
    ALTER TABLE gitversion_sync.applied ADD CONSTRAINT applied_pkey PRIMARY KEY (source, commit_id, subscriber);
  END IF;
END $$;
