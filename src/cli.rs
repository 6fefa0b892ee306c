//! The command line, declared with clap's derive API.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Lint, author and bundle Markdown standard operating procedures.
#[derive(Debug, Parser)]
#[command(name = "sopkit", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint SOP files and directories (directories are searched for *.md).
    Lint(LintArgs),
    /// List every rule (built-in and from rule packs).
    Rules(RulesArgs),
    /// Print a rule's documentation, with a bad and a good example.
    Explain(ExplainArgs),
    /// Print the parsed document model of an SOP.
    Export(ExportArgs),
    /// Write a new SOP from a template.
    New(NewArgs),
    /// Set up sopkit in a repository: sopkit.yaml, an example SOP, CI and pre-commit files.
    Init(InitArgs),
    /// Build, verify, inspect and compare policy bundles.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Generate a minisign key pair for signing bundles.
    Keygen(KeygenArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the section heading aliases per language, how headings match them, and the
    /// metadata presets.
    Sections(SectionsArgs),
    /// Run the language server on standard input/output, for editors (see the README).
    Lsp,
    /// Build a static portal of SOPs.
    #[command(subcommand)]
    Site(SiteCommand),
    /// For each base SOP, its branch variants (front matter `variant_of`): how far each has
    /// drifted and its deliberate local differences.
    Variants(VariantsArgs),
}

#[derive(Debug, Args)]
pub struct VariantsArgs {
    /// Files or directories of SOPs, bases and variants together (directories are searched as
    /// `lint` searches them).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: VariantsFormat,
    /// Use this configuration file instead of discovering sopkit.yaml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VariantsFormat {
    /// Plain text for a terminal.
    Human,
    /// A JSON object: the bases, their variants and every difference.
    Json,
    /// Markdown: a table of variants and the differences of each, for a pull request or a
    /// review.
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Write a self-contained static site (index, one page per SOP, roles, review calendar)
    /// from a folder of SOPs or a bundle.
    Build(SiteBuildArgs),
}

#[derive(Debug, Args)]
pub struct SiteBuildArgs {
    /// A folder of SOPs (linted with its configuration) or a bundle (verified first).
    pub input: PathBuf,
    /// The folder to write the site into (replaced atomically if it holds a previous site).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// An older bundle: adds a page of the changes from it to the input (a bundle, or the
    /// documents of a folder as a bundle would hold them).
    #[arg(long, value_name = "OLD")]
    pub previous: Option<PathBuf>,
    /// Require a valid signature of the bundle by this minisign public key.
    #[arg(long, value_name = "PUB")]
    pub key: Option<PathBuf>,
    /// Use this configuration file instead of discovering sopkit.yaml; for a bundle, lint its
    /// documents with it (without it, a bundle's findings are those of the rules it was
    /// built with, at their defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub use crate::output::OutputFormat;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: human on a terminal, concise otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Only these rules (codes, names, family prefixes or `all`), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Skip these rules (codes, names or family prefixes), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Override severities: `CODE=error|warning|info`, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODE=LEVEL")]
    pub severity: Vec<String>,
    /// Turn on the preview rules too (off by default: see `sopkit rules`).
    #[arg(long)]
    pub preview: bool,
    /// Apply safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// Apply unsafe fixes too (such as placeholder front matter fields).
    #[arg(long)]
    pub fix_unsafe: bool,
    /// Print the fixes as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,
    /// Exit with 1 when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Print the number of findings per rule.
    #[arg(long)]
    pub statistics: bool,
    /// Lint only Markdown files that git reports as changed since REV (and untracked ones).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Use this configuration file instead of discovering sopkit.yaml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    pub no_config: bool,
    /// The file name to report for standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One line per rule: code, name, default severity and summary.
    Table,
    /// A JSON array with every rule's metadata.
    Json,
    /// The Markdown rule reference (what `docs/rules.md` holds).
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,
    /// How to print the rules.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RulesFormat,
    /// Use this configuration file (for its rule packs).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Check that every pack rule's bad examples fire and its good examples do not.
    Test {
        /// Pack files or directories (default: the shipped packs and configured ones).
        packs: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (P001) or name (step-mood).
    pub rule: String,
    /// Use this configuration file (for its rule packs).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The document model as JSON (`"schema": "sopkit.document/v1"`).
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The SOP file to export (a Markdown file, not a directory).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
}

pub use crate::templates::Template;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The SOP's title.
    pub title: String,
    /// The template to start from.
    #[arg(long, value_enum, default_value = "basic")]
    pub template: Template,
    /// The document id (default: derived from the title).
    #[arg(long)]
    pub id: Option<String>,
    #[arg(long, default_value = "en", help = lang_help())]
    pub lang: String,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository to set up.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Lint, then pack the approved SOPs into a reproducible archive.
    Build(BundleBuildArgs),
    /// Check a bundle's hashes, entries and signature.
    Verify(BundleVerifyArgs),
    /// Show a bundle's manifest.
    Inspect(BundleInspectArgs),
    /// Compare two bundles.
    Diff(BundleDiffArgs),
    /// Sign a bundle's manifest as its approver (a detached minisign signature next to it).
    Approve(BundleApproveArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Bump {
    /// Major for a removed document or step, minor for an added or changed one, else patch.
    Auto,
}

#[derive(Debug, Args)]
pub struct BundleBuildArgs {
    /// SOP files and directories to bundle (directories are searched for *.md).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The bundle's name (letters, digits, '.', '_' or '-'; it becomes part of the file name).
    #[arg(long)]
    pub name: String,
    /// The bundle's version (semver).
    #[arg(
        long = "version",
        id = "bundle_version",
        value_name = "X.Y.Z",
        conflicts_with = "bump",
        required_unless_present = "bump"
    )]
    pub bundle_version: Option<String>,
    /// Derive the version from the changes since --previous.
    #[arg(long, value_enum, requires = "previous")]
    pub bump: Option<Bump>,
    /// The previous bundle, for --bump auto and version checks.
    #[arg(long, value_name = "OLD")]
    pub previous: Option<PathBuf>,
    /// Write the bundle into DIR (created if missing).
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    /// Sign the manifest with this minisign secret key.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
    /// Include documents that are not approved.
    #[arg(long)]
    pub include_drafts: bool,
    /// Overwrite an existing bundle of the same name and version.
    #[arg(long)]
    pub force: bool,
    /// Use this configuration file instead of discovering sopkit.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BundleVerifyArgs {
    /// The bundle (`.sopbundle.tar.gz`) to check.
    pub file: PathBuf,
    /// Require a valid signature by this minisign public key.
    #[arg(long, value_name = "PUB")]
    pub key: Option<PathBuf>,
    /// Require every document to be approved by every approver its front matter lists, with
    /// the approval files next to the bundle checked against this keyring (YAML: approver name
    /// to minisign public key).
    #[arg(long, value_name = "KEYRING")]
    pub approvals: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BundleApproveArgs {
    /// The bundle (`.sopbundle.tar.gz`) to approve.
    pub file: PathBuf,
    /// The approver's minisign secret key (unencrypted, as `sopkit keygen` writes it).
    #[arg(long, value_name = "SECRET")]
    pub key: PathBuf,
    /// The approver's name, exactly as front matter `approvers` writes it.
    #[arg(long = "as", value_name = "NAME")]
    pub name: String,
    /// Replace an existing approval by the same approver.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// A summary and a table of the documents.
    Human,
    /// The manifest, exactly as stored in the bundle.
    Json,
}

#[derive(Debug, Args)]
pub struct BundleInspectArgs {
    /// The bundle (`.sopbundle.tar.gz`) to show.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: InspectFormat,
    /// Check the approvals shown (human format) against this keyring (YAML: approver name to
    /// minisign public key).
    #[arg(long, value_name = "KEYRING")]
    pub approvals: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text for a terminal.
    Human,
    /// A JSON object with every change.
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
}

#[derive(Debug, Args)]
pub struct BundleDiffArgs {
    /// The older bundle.
    pub old: PathBuf,
    /// The newer bundle.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the secret key (its directory is created if missing); the public key
    /// goes to KEY.pub.
    #[arg(short, long, value_name = "KEY")]
    pub output: PathBuf,
    /// Overwrite existing key files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    pub shell: clap_complete::Shell,
}

/// The help of `new --lang`: the languages that have templates, from the templates themselves.
fn lang_help() -> String {
    format!(
        "Language of the document: {} (the languages that have templates)",
        crate::templates::languages().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }

    /// Every argument of every (sub)command, and every value of a value enum, explains itself
    /// in `--help`.
    #[test]
    fn every_argument_and_value_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", cmd.get_name());
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
                for value in arg.get_possible_values() {
                    // Shells (`completions SHELL`) are clap_complete's own values.
                    if value.get_help().is_none() && id != "shell" {
                        missing.push(format!("{path} {id}={}", value.get_name()));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() && sub.get_name() != "help" {
                    missing.push(format!("{path} {}: no about", sub.get_name()));
                }
                walk(sub, &path, missing);
            }
        }
        let mut cmd = super::Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "", &mut missing);
        assert!(missing.is_empty(), "without help: {missing:#?}");
    }

    #[test]
    fn new_help_lists_exactly_the_languages_with_templates() {
        // `templates/<name>.<lang>.md`, except the setup files `sopkit init` writes.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                let stem = name.strip_suffix(".md")?;
                Some(stem.rsplit_once('.')?.1.to_string())
            })
            .collect();
        on_disk.sort();
        on_disk.dedup();
        assert_eq!(crate::templates::languages(), on_disk);
        let mut cmd = super::Cli::command();
        let new = cmd.find_subcommand_mut("new").unwrap();
        let help = new.render_long_help().to_string();
        let listed = format!("Language of the document: {}", on_disk.join(", "));
        assert!(help.contains(&listed), "{help}");
        assert!(!help.contains("hr, fi"), "{help}");
    }
}

#[derive(Debug, Args)]
pub struct SectionsArgs {
    /// Only the aliases of this language (en, fi, hr, id, ms).
    #[arg(long)]
    pub lang: Option<String>,
    /// Output format; `markdown` is what `docs/sections.md` holds.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SectionsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SectionsFormat {
    /// Plain text for the terminal.
    Text,
    /// The Markdown reference (`docs/sections.md`).
    Markdown,
}
