//! Issue templates: front matter, forms, chooser config (being built on the `check` branch).
