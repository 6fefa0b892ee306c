//! sopkit: parse, lint, author and bundle Markdown standard operating procedures.
//!
//! The public surface is small: [`Document`] and [`parse`], the [`Linter`], and the rule
//! types [`RuleMeta`] and [`Finding`].

pub mod bundle;
pub mod cli;
pub mod commands;
pub(crate) mod config;
pub mod document;
pub(crate) mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub(crate) mod lang;
pub mod lint;
pub mod lsp;
pub mod output;
pub mod packs;
pub mod rule;
pub mod rules;
pub mod settings;
pub(crate) mod site;
pub(crate) mod suggest;
pub(crate) mod suppress;
pub mod templates;
pub(crate) mod work;
pub mod yaml;

pub use document::{parse, Document, ParseOptions};
pub use lint::{Diagnostic, Linter};
pub use rule::{Finding, RuleMeta, Severity};
