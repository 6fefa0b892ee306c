//! sopkit: parse, lint, author and bundle Markdown standard operating procedures.

pub(crate) mod lang;
