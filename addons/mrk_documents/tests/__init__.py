# Tests of mrk_documents.
