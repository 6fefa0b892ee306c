//! The one integration test binary: modules by area.

mod bundle;
mod cli;
mod config;
mod examples;
mod fixtures;
mod formats;
mod lang;
mod lang_planted;
mod packs;
mod precision;
mod real;
mod robustness;
mod sections;
mod site;
mod support;
