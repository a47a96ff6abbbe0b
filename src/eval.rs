//! Rule quality on labelled data (being built on the `eval` branch).
