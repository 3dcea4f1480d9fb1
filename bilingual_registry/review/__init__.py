"""Translation QA review of records: checks, findings, reports and XLIFF."""
