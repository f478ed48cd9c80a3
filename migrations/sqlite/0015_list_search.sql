-- The public lists find a licence or penalty by its exact decision number (文书号) without a scan.
CREATE INDEX IF NOT EXISTS licences_decision_no ON licences(decision_no);
CREATE INDEX IF NOT EXISTS penalties_decision_no ON penalties(decision_no);
