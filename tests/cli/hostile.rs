//! Integration tests: hostile.
