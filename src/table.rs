//! Reading requests from CSV and JSONL tables (being built on the `batch` branch).
