//! Integration tests: classify.
