//! Unit tests of template parsing and findings.
