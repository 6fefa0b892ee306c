//! The one integration test binary: modules by area.

mod architecture;
mod bundle;
mod bundle_approval;
mod bundle_security;
mod cli;
mod config;
mod examples;
mod fixtures;
mod formats;
mod lang;
mod lang_planted;
mod lsp;
mod packs;
mod precision;
mod real;
mod robust_cli;
mod robust_columns;
mod robust_config;
mod robust_escape;
#[cfg(unix)]
mod robust_fix;
#[cfg(unix)]
mod robust_links;
mod robust_nesting;
#[cfg(unix)]
mod robust_walk;
mod robustness;
mod sections;
mod site;
mod support;
mod variants;
