//! The templates `sopkit new` starts from, embedded in the binary: which exist, in which
//! languages. Below `cli` (whose `new --help` lists the languages) and `commands`.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// A general task: request in, work done and reviewed, request closed.
    Basic,
    /// A customer request, from first contact to the confirmed solution.
    CustomerService,
    /// A response to a service alert, from the alert to the incident review.
    IncidentEscalation,
}

/// (template, language, text). Placeholders: `{{id}}`, `{{title}}`, `{{effective}}`,
/// `{{review_by}}`.
pub(crate) const TEMPLATES: &[(Template, &str, &str)] = &[
    (
        Template::Basic,
        "en",
        include_str!("../templates/basic.en.md"),
    ),
    (
        Template::Basic,
        "fi",
        include_str!("../templates/basic.fi.md"),
    ),
    (
        Template::Basic,
        "hr",
        include_str!("../templates/basic.hr.md"),
    ),
    (
        Template::Basic,
        "id",
        include_str!("../templates/basic.id.md"),
    ),
    (
        Template::Basic,
        "ms",
        include_str!("../templates/basic.ms.md"),
    ),
    (
        Template::CustomerService,
        "en",
        include_str!("../templates/customer-service.en.md"),
    ),
    (
        Template::CustomerService,
        "fi",
        include_str!("../templates/customer-service.fi.md"),
    ),
    (
        Template::CustomerService,
        "hr",
        include_str!("../templates/customer-service.hr.md"),
    ),
    (
        Template::CustomerService,
        "id",
        include_str!("../templates/customer-service.id.md"),
    ),
    (
        Template::CustomerService,
        "ms",
        include_str!("../templates/customer-service.ms.md"),
    ),
    (
        Template::IncidentEscalation,
        "en",
        include_str!("../templates/incident-escalation.en.md"),
    ),
    (
        Template::IncidentEscalation,
        "fi",
        include_str!("../templates/incident-escalation.fi.md"),
    ),
    (
        Template::IncidentEscalation,
        "hr",
        include_str!("../templates/incident-escalation.hr.md"),
    ),
    (
        Template::IncidentEscalation,
        "id",
        include_str!("../templates/incident-escalation.id.md"),
    ),
    (
        Template::IncidentEscalation,
        "ms",
        include_str!("../templates/incident-escalation.ms.md"),
    ),
];

/// The languages that have templates, sorted (what `new --help` lists).
pub(crate) fn languages() -> Vec<&'static str> {
    let mut langs: Vec<&str> = TEMPLATES.iter().map(|(_, l, _)| *l).collect();
    langs.sort_unstable();
    langs.dedup();
    langs
}
