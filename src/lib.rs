//! `request_triage` routes requests (tickets, issues, messages) to the function that owns them,
//! Marketing, Community or DevRel by default, with rules a person can read and a verdict that
//! carries its evidence.
//!
//! ```
//! use request_triage::{Classifier, RuleSet, Status};
//!
//! let classifier = Classifier::new(RuleSet::default_rules()).expect("default rules compile");
//! let verdict = classifier.classify_text("How do I authenticate with the Python SDK? I get a 401");
//! let owner = verdict.owner.map(|index| classifier.rules().functions[index].id.as_str());
//! assert_eq!(owner, Some("devrel"));
//! assert_eq!(verdict.status, Status::Assigned);
//! ```

pub mod batch;
pub mod classify;
pub mod eval;
pub mod input;
pub mod language;
pub mod output;
pub mod rules;
pub mod suggest;
pub mod table;
pub mod templates;
pub mod yaml_limits;

pub use classify::{Classifier, ClassifyOptions, Contribution, Match, Part, Request, Status, Verdict};
pub use rules::{Example, Expectation, Field, Function, Rule, RuleKind, RuleSet, RulesError, RulesErrorKind};
