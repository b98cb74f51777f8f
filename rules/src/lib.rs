//! podready's rule model and built-in rule pack.
//!
//! Rules are data: each built-in rule is one TOML file under `pack/`, with
//! its documentation, its message and remediation, and the matchers that
//! find it. The pack also carries the deploy standard and the SDK table.

pub mod matcher;
mod model;
mod pack;
mod position;

pub use matcher::Matcher;
pub use model::*;
pub use pack::{
    builtin_files, ClientKeys, DeveloperTools, LoggingBridge, LoggingCode, LoggingRoutes,
    RuleError, RulePack,
};
pub use position::{line_col, line_of};
