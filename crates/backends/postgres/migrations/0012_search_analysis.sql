-- The analysis (msme_core::search::ANALYSIS) the search documents were indexed under. Documents
-- indexed before it was recorded hold words only (analysis 1); a platform opening on them
-- rebuilds the index under the current analysis, which clearing the index records.
CREATE TABLE search_analysis (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    analysis INTEGER NOT NULL
);
INSERT INTO search_analysis (analysis)
SELECT CASE WHEN EXISTS (SELECT 1 FROM search_documents) THEN 1 ELSE 2 END;
