//! Resolving the configuration of each file: find it (walking up, or `--config`), load it
//! once, check its rule codes against the rules that exist, and build one profile per distinct
//! effective configuration.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::select::{build_with, check_selector, find_rule, select, Layer};
use super::{is_markdown, load_chain, Config, ConfigError, Origin, FILE_NAMES, MARKDOWN_PATTERNS};
use crate::lint::{ActiveRule, Profile};
use crate::rule::{Rule, Severity};
use crate::settings::Settings;
use crate::yaml::{did_you_mean, Seg};

/// The command line's layer: `--select`, `--ignore`, `--severity`.
#[derive(Debug, Clone, Default)]
pub(crate) struct CliRules {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<String>,
    /// `--preview`: turn on the rules of the preview group.
    pub preview: bool,
}

/// A loaded configuration and the rules that exist under it (built-in and packs).
struct Loaded {
    config: Config,
    all: Vec<Arc<dyn Rule>>,
}

enum Mode {
    Discover,
    Fixed(Option<usize>),
}

/// Finds and caches each file's configuration and builds one profile per distinct effective
/// configuration.
pub(crate) struct Resolver {
    mode: Mode,
    loaded: Vec<Loaded>,
    by_file: HashMap<PathBuf, usize>,
    by_dir: HashMap<PathBuf, Option<usize>>,
    /// `--select`, `--ignore`, `--severity`: checked against the rules of each profile, so
    /// that codes of a configuration's own packs are accepted.
    cli: CliRules,
    profiles: Vec<Profile>,
    profile_keys: HashMap<(Option<usize>, Vec<usize>), usize>,
    defaults: Vec<Arc<dyn Rule>>,
}

impl Resolver {
    /// `config`: `--config FILE`; `no_config`: `--no-config`.
    pub(crate) fn new(
        config: Option<&Path>,
        no_config: bool,
        cli: &CliRules,
    ) -> Result<Self, ConfigError> {
        let defaults = crate::lint::default_rules();
        let cli = cli.clone();
        let mut r = Self {
            mode: Mode::Discover,
            loaded: Vec::new(),
            by_file: HashMap::new(),
            by_dir: HashMap::new(),
            cli,
            profiles: Vec::new(),
            profile_keys: HashMap::new(),
            defaults,
        };
        if no_config {
            r.mode = Mode::Fixed(None);
        } else if let Some(path) = config {
            let i = r.load(path)?;
            r.mode = Mode::Fixed(Some(i));
        }
        Ok(r)
    }

    fn load(&mut self, path: &Path) -> Result<usize, ConfigError> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(&i) = self.by_file.get(&abs) {
            return Ok(i);
        }
        let config = load_chain(&abs)?;
        let mut all = self.defaults.clone();
        if let Some((paths, origin)) = &config.packs {
            let user = crate::packs::load(paths, &origin.file.dir)?;
            all.extend(user.into_iter().map(Arc::from));
        }
        validate_codes(&config, &all)?;
        self.loaded.push(Loaded { config, all });
        let i = self.loaded.len() - 1;
        self.by_file.insert(abs, i);
        Ok(i)
    }

    /// The configuration governing a directory: the nearest file walking up.
    fn config_of_dir(&mut self, dir: &Path) -> Result<Option<usize>, ConfigError> {
        if let Some(found) = self.by_dir.get(dir) {
            return Ok(*found);
        }
        let here = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file());
        let found = match here {
            Some(path) => Some(self.load(&path)?),
            None => match dir.parent() {
                Some(parent) => self.config_of_dir(parent)?,
                None => None,
            },
        };
        self.by_dir.insert(dir.to_path_buf(), found);
        Ok(found)
    }

    fn config_of(&mut self, file: &Path) -> Result<Option<usize>, ConfigError> {
        match self.mode {
            Mode::Fixed(i) => Ok(i),
            Mode::Discover => {
                let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
                match abs.parent() {
                    Some(dir) => self.config_of_dir(dir),
                    None => Ok(None),
                }
            }
        }
    }

    /// Whether a file found by walking a directory is excluded by its configuration's
    /// `include` / `exclude` (files named on the command line are always linted).
    pub(crate) fn excluded(&mut self, file: &Path) -> Result<bool, ConfigError> {
        let Some(i) = self.config_of(file)? else {
            return Ok(false);
        };
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let c = &self.loaded[i].config;
        Ok(c.exclude.as_ref().is_some_and(|g| g.matches(&abs))
            || c.include.as_ref().is_some_and(|g| !g.matches(&abs)))
    }

    /// Whether a file found by walking a directory is linted: when its configuration sets
    /// `include`, the files that match it, whatever their extension (`*.html.md.erb`); else
    /// Markdown files (`.md`, `.markdown`). Never a file that `exclude` matches.
    pub(crate) fn walked(&mut self, file: &Path) -> Result<bool, ConfigError> {
        let has_include = match self.config_of(file)? {
            Some(i) => self.loaded[i].config.include.is_some(),
            None => false,
        };
        if !has_include && !is_markdown(file) {
            return Ok(false);
        }
        Ok(!self.excluded(file)?)
    }

    /// The files under `dir` a run takes, as `sopkit lint DIR` walks it (.gitignore honoured,
    /// then [`Self::walked`]), sorted as shown; and the places the walk could not read, with
    /// why (a folder without permission, a symbolic link loop).
    pub(crate) fn walk(
        &mut self,
        dir: &Path,
    ) -> Result<(Vec<PathBuf>, Vec<crate::input::WalkError>), ConfigError> {
        let (all, errors) = crate::input::walk_all(dir);
        let mut files = Vec::new();
        for file in all {
            if self.walked(&file)? {
                files.push(file);
            }
        }
        files.sort_by_cached_key(|f| crate::input::display_path(f));
        Ok((files, errors))
    }

    /// The patterns that select files under `dir` when walking it: its configuration's
    /// `include` (or the Markdown default) and `exclude`, for a "no files matched" message.
    pub(crate) fn patterns_of(&mut self, dir: &Path) -> Result<Vec<String>, ConfigError> {
        let probe = dir.join("probe.md");
        let config = self.config_of(&probe)?.map(|i| &self.loaded[i].config);
        let mut out: Vec<String> = match config.and_then(|c| c.include.as_ref()) {
            Some(g) => g.patterns.clone(),
            None => MARKDOWN_PATTERNS.iter().map(|p| (*p).to_string()).collect(),
        };
        if let Some(g) = config.and_then(|c| c.exclude.as_ref()) {
            out.extend(g.patterns.iter().map(|p| format!("!{p}")));
        }
        Ok(out)
    }

    /// The profile (index into the final linter's profiles) of a file.
    pub(crate) fn profile_of(
        &mut self,
        file: &Path,
        settings: &Settings,
    ) -> Result<usize, ConfigError> {
        let config = self.config_of(file)?;
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let overrides: Vec<usize> = config
            .and_then(|i| self.loaded[i].config.overrides.as_ref())
            .map(|o| {
                o.iter()
                    .enumerate()
                    .filter(|(_, o)| o.files.matches(&abs))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
        let k = (config, overrides);
        if let Some(&p) = self.profile_keys.get(&k) {
            return Ok(p);
        }
        let profile = self.build_profile(k.0, &k.1, settings)?;
        self.profiles.push(profile);
        let p = self.profiles.len() - 1;
        self.profile_keys.insert(k, p);
        Ok(p)
    }

    fn build_profile(
        &self,
        config: Option<usize>,
        overrides: &[usize],
        base: &Settings,
    ) -> Result<Profile, ConfigError> {
        let Some(ci) = config else {
            let cli = cli_layer(&self.cli, &self.defaults)?;
            let rules = select(&self.defaults, std::slice::from_ref(&cli));
            return Ok(profile(rules, base.clone(), &self.defaults));
        };
        let loaded = &self.loaded[ci];
        let cli = cli_layer(&self.cli, &loaded.all)?;
        let mut body = loaded.config.body.clone();
        // The command line's selection replaces the configuration's; `overrides` still apply
        // to the files they match; `--severity` comes last.
        let mut layers = vec![
            Layer::from(&body.rules),
            Layer {
                severity: Vec::new(),
                ..cli.clone()
            },
        ];
        for &o in overrides {
            if let Some(ov) = loaded.config.overrides.as_ref().and_then(|v| v.get(o)) {
                layers.push(Layer::from(&ov.body.rules));
                body.merge(ov.body.clone());
            }
        }
        layers.push(Layer {
            severity: cli.severity,
            ..Layer::default()
        });

        let mut settings = base.clone();
        if let Some(lang) = &body.lang {
            settings.parse.default_lang = Some(lang.clone());
        }
        if let Some(required) = &body.sections.required {
            settings.required_sections = required.clone();
        }
        if let Some(order) = &body.sections.order {
            settings.section_order = order.clone();
        }
        settings.metadata = body.metadata();
        for (kind, names) in &body.sections.aliases {
            settings
                .parse
                .aliases
                .extend(*kind, names.iter().map(String::as_str));
        }

        // Rules with configured options are rebuilt; the others are shared.
        let mut all = loaded.all.clone();
        for (written, (value, origin)) in &body.rules.options {
            let Some(rule) = find_rule(written, &loaded.all) else {
                continue;
            };
            let code = &*rule.meta().code;
            if let Some(built) = build_with(code, value) {
                let built = built.map_err(|e| options_error(origin, written, code, &e))?;
                if let Some(slot) = all.iter_mut().find(|r| r.meta().code == code) {
                    *slot = built;
                }
            }
        }
        let rules = select(&all, &layers);
        Ok(profile(rules, settings, &all))
    }

    /// The linter of every profile handed out so far.
    pub(crate) fn into_linter(self) -> crate::lint::Linter {
        crate::lint::Linter {
            profiles: self.profiles,
        }
    }
}

fn profile(
    rules: Vec<(Arc<dyn Rule>, Severity)>,
    settings: Settings,
    all: &[Arc<dyn Rule>],
) -> Profile {
    let active = rules
        .into_iter()
        .map(|(rule, severity)| ActiveRule { rule, severity })
        .collect();
    Profile::new(active, settings, all)
}

fn options_error(origin: &Origin, written: &str, code: &str, e: &str) -> ConfigError {
    let e = e.split(" at line ").next().unwrap_or(e);
    origin
        .file
        .src
        .at_key(
            &origin.path,
            format!("invalid options for `{written}`: {e}"),
            "invalid options",
            Some(format!("`sopkit explain {code}` lists the options")),
        )
        .into()
}

/// Checks every rule code in the configuration (and the files it extends) and builds every
/// configured rule's options once, so that mistakes are errors even for unselected rules.
fn validate_codes(config: &Config, all: &[Arc<dyn Rule>]) -> Result<(), ConfigError> {
    let mut bodies = vec![&config.body];
    if let Some(o) = &config.overrides {
        bodies.extend(o.iter().map(|o| &o.body));
    }
    for body in bodies {
        let r = &body.rules;
        let selectors = r
            .select
            .iter()
            .flatten()
            .chain(r.ignore.iter().flatten())
            .chain(r.severity.values().map(|(s, _)| s));
        for s in selectors {
            if let Err((message, help)) = check_selector(&s.text, all) {
                let in_key = matches!(s.origin.path.last(), Some(Seg::Key(k)) if *k == s.text);
                let src = &s.origin.file.src;
                let err = if in_key {
                    src.at_key(&s.origin.path, message, "unknown rule", help)
                } else {
                    src.at_value(&s.origin.path, &s.text, message, "unknown rule", help)
                };
                return Err(err.into());
            }
        }
        for (written, (value, origin)) in &r.options {
            let Some(rule) = find_rule(written, all) else {
                let candidates = all.iter().flat_map(|r| [&*r.meta().code, &*r.meta().name]);
                return Err(origin
                    .file
                    .src
                    .at_key(
                        &origin.path,
                        format!("unknown rule `{written}`"),
                        "unknown rule",
                        did_you_mean(written, candidates),
                    )
                    .into());
            };
            let code = &*rule.meta().code;
            match build_with(code, value) {
                Some(Err(e)) => return Err(options_error(origin, written, code, &e)),
                Some(Ok(_)) => {}
                None => {
                    return Err(origin
                        .file
                        .src
                        .at_key(
                            &origin.path,
                            format!("rule `{code}` has no options"),
                            "no options",
                            None,
                        )
                        .into())
                }
            }
        }
    }
    Ok(())
}

fn cli_layer(cli: &CliRules, all: &[Arc<dyn Rule>]) -> Result<Layer, ConfigError> {
    let check = |flag: &'static str, v: &str| {
        check_selector(v, all).map_err(|(message, help)| ConfigError::Flag {
            flag,
            value: v.to_string(),
            message,
            help,
        })
    };
    let clean = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let select = clean(&cli.select);
    let ignore = clean(&cli.ignore);
    for s in &select {
        check("--select", s)?;
    }
    for s in &ignore {
        check("--ignore", s)?;
    }
    let mut severity = Vec::new();
    for item in clean(&cli.severity) {
        let Some((code, level)) = item.split_once('=') else {
            return Err(ConfigError::Flag {
                flag: "--severity",
                value: item.clone(),
                message: "expected CODE=LEVEL".into(),
                help: Some("for example `--severity P002=error`".into()),
            });
        };
        check("--severity", code.trim())?;
        let Some(sev) = Severity::parse(level) else {
            return Err(ConfigError::Flag {
                flag: "--severity",
                value: item.clone(),
                message: format!("unknown severity `{}`", level.trim()),
                help: Some("use error, warning or info".into()),
            });
        };
        severity.push((code.trim().to_string(), sev));
    }
    Ok(Layer {
        select: (!select.is_empty()).then_some(select),
        ignore,
        severity,
        preview: cli.preview.then_some(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{key, FileKind, Source};

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "(\\PC|\n| |-|:|\\[|\\]|\\{|\\}|rules|select|ignore|severity|options|overrides|files|sections|aliases){0,60}") {
            let file = Arc::new(super::super::File {
                src: Source::new(FileKind::Config, "sopkit.yaml", text.clone()),
                dir: PathBuf::from("/"),
            });
            if let Ok((config, _)) = super::super::read::read(&file) {
                let _ = validate_codes(&config, &crate::lint::default_rules());
            }
            for path in [vec![key("rules"), key("select")], vec![key("overrides"), Seg::Index(1), key("rules")]] {
                let _ = file.src.at_value(&path, "P001", String::new(), "", None);
            }
        }
    }
}
