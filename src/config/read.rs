//! One configuration file's text → a typed [`RawConfig`] → a validated [`Config`].
//!
//! A new configuration key is one field in [`RawConfig`] (and in [`RawOverride`] when an
//! `overrides` entry may set it too), read into its place in [`Config`] below. The YAML layer
//! (`crate::yaml`) locates and words unknown keys and wrong types; the checks here (rule
//! codes are checked later, against the rules that exist) locate their errors by path too.

use std::path::PathBuf;
use std::sync::Arc;

use globset::{GlobBuilder, GlobSetBuilder};
use serde::de::{self, SeqAccess, Visitor};
use serde::Deserialize;
use serde_yaml::Value;

use super::{Body, Config, File, Globs, Origin, Override, RulesLayer, SectionsCfg, Selector};
use crate::document::SectionKind;
use crate::rule::Severity;
use crate::yaml::{did_you_mean, key, Entries, LocatedError, Seg};

/// `sopkit.yaml`. The field order is the order "known keys" lists them in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    lang: Option<String>,
    include: Option<Strings>,
    exclude: Option<Strings>,
    rules: Option<RawRules>,
    packs: Option<Strings>,
    sections: Option<RawSections>,
    overrides: Option<Overrides>,
    extends: Option<Strings>,
    preset: Option<String>,
    fields: Option<Entries<String>>,
    dates: Option<String>,
}

/// An `overrides` entry: the files it applies to, and the keys of the top level it may set.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Option<Strings>,
    lang: Option<String>,
    rules: Option<RawRules>,
    sections: Option<RawSections>,
    preset: Option<String>,
    fields: Option<Entries<String>>,
    dates: Option<String>,
}

/// The keys the top level and an `overrides` entry share.
struct RawBody {
    lang: Option<String>,
    rules: Option<RawRules>,
    sections: Option<RawSections>,
    preset: Option<String>,
    fields: Option<Entries<String>>,
    dates: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    select: Option<Strings>,
    ignore: Option<Strings>,
    /// Rule code or selector → level.
    severity: Option<Entries<String>>,
    /// Rule code or name → its options, checked when the rule is built.
    options: Option<Entries<Value>>,
    preview: Option<Flag>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSections {
    required: Option<Strings>,
    order: Option<Strings>,
    aliases: Option<Entries<Strings>>,
}

/// A list of strings; one string is a list of one, and nothing an empty list.
struct Strings(Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Strings;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Strings, E> {
                Ok(Strings(vec![s.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Strings, E> {
                Ok(Strings(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strings, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Strings(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `true` or `false`.
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Flag, E> {
                Ok(Flag(b))
            }
        }
        d.deserialize_any(V)
    }
}

/// The `overrides` list (it must be a list, even of one entry).
struct Overrides(Vec<RawOverride>);

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Overrides;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of maps")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Overrides, A::Error> {
                let mut out = Vec::new();
                while let Some(o) = seq.next_element()? {
                    out.push(o);
                }
                Ok(Overrides(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// An `extends` entry: the resolved path, where it is written, and the text as written.
pub(super) type Extends = (PathBuf, Vec<Seg>, String);

/// Parses and validates one file's own keys; `extends` paths are returned for the caller to
/// load.
pub(super) fn read(file: &Arc<File>) -> Result<(Config, Vec<Extends>), Box<LocatedError>> {
    let raw: RawConfig = file.src.deserialize()?;
    Checker { file }.config(raw)
}

/// Turns the raw keys into a [`Config`], checking values that serde takes as plain text.
struct Checker<'a> {
    file: &'a Arc<File>,
}

fn under(path: &[Seg], k: &str) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(key(k));
    p
}

impl Checker<'_> {
    fn origin(&self, path: &[Seg]) -> Origin {
        Origin {
            file: Arc::clone(self.file),
            path: path.to_vec(),
        }
    }

    fn config(&self, raw: RawConfig) -> Result<(Config, Vec<Extends>), Box<LocatedError>> {
        let dir = &self.file.dir;
        let mut config = Config {
            include: raw
                .include
                .map(|s| self.globs(&[key("include")], s.0))
                .transpose()?,
            exclude: raw
                .exclude
                .map(|s| self.globs(&[key("exclude")], s.0))
                .transpose()?,
            packs: raw.packs.map(|s| {
                let paths = s.0.iter().map(|p| dir.join(p)).collect();
                (paths, self.origin(&[key("packs")]))
            }),
            ..Config::default()
        };
        let body = RawBody {
            lang: raw.lang,
            rules: raw.rules,
            sections: raw.sections,
            preset: raw.preset,
            fields: raw.fields,
            dates: raw.dates,
        };
        config.body = self.body(&[], body)?;
        if let Some(items) = raw.overrides {
            let mut overrides = Vec::new();
            for (i, o) in items.0.into_iter().enumerate() {
                let at = vec![key("overrides"), Seg::Index(i)];
                let Some(files) = o.files else {
                    return Err(self.file.src.at_key(
                        &at,
                        "an `overrides` entry needs `files`".into(),
                        "no `files` here",
                        Some("add `files: [\"glob\", ...]`".into()),
                    ));
                };
                let files = self.globs(&under(&at, "files"), files.0)?;
                let body = RawBody {
                    lang: o.lang,
                    rules: o.rules,
                    sections: o.sections,
                    preset: o.preset,
                    fields: o.fields,
                    dates: o.dates,
                };
                let body = self.body(&at, body)?;
                overrides.push(Override { files, body });
            }
            config.overrides = Some(overrides);
        }
        let extends = raw.extends.map_or_else(Vec::new, |s| {
            let at = vec![key("extends")];
            s.0.into_iter()
                .map(|s| (dir.join(&s), at.clone(), s))
                .collect()
        });
        Ok((config, extends))
    }

    /// The keys shared by the top level and `overrides` entries, under `at`.
    fn body(&self, at: &[Seg], raw: RawBody) -> Result<Body, Box<LocatedError>> {
        let src = &self.file.src;
        let mut body = Body {
            lang: raw.lang,
            ..Body::default()
        };
        if let Some(rules) = raw.rules {
            body.rules = self.rules(&under(at, "rules"), rules)?;
        }
        if let Some(sections) = raw.sections {
            body.sections = self.sections(&under(at, "sections"), sections)?;
        }
        if let Some(name) = raw.preset {
            let names = crate::settings::PRESETS.iter().map(|p| p.name);
            body.preset = Some(crate::settings::preset(&name).ok_or_else(|| {
                src.at_value(
                    &under(at, "preset"),
                    &name,
                    format!("unknown preset `{name}`"),
                    "unknown preset",
                    did_you_mean(&name, names.clone()).or_else(|| {
                        Some(format!("presets: {}", names.collect::<Vec<_>>().join(", ")))
                    }),
                )
            })?);
        }
        if let Some(fields) = raw.fields {
            let p = under(at, "fields");
            let known: Vec<&str> = crate::settings::FIELDS.iter().map(|(f, _)| *f).collect();
            if let Some((field, _)) = fields.0.iter().find(|(f, _)| !known.contains(&f.as_str())) {
                return Err(src.unknown_key(&p, field, &known));
            }
            for (field, file_key) in fields.0 {
                if file_key.trim().is_empty() {
                    return Err(src.at_key(
                        &under(&p, &field),
                        format!("`{field}` must name a front matter key"),
                        "no key here",
                        Some(format!("for example `{field}: my_{field}`")),
                    ));
                }
                body.fields.insert(field, file_key.trim().to_string());
            }
        }
        if let Some(text) = raw.dates {
            let names = crate::settings::DateOrder::NAMES;
            body.dates = Some(crate::settings::DateOrder::parse(&text).ok_or_else(|| {
                src.at_value(
                    &under(at, "dates"),
                    &text,
                    format!("unknown date order `{text}`"),
                    "not a date order",
                    did_you_mean(&text, names)
                        .or_else(|| Some("use iso, mdy (MM/DD/YYYY) or dmy (DD/MM/YYYY)".into())),
                )
            })?);
        }
        Ok(body)
    }

    fn rules(&self, p: &[Seg], raw: RawRules) -> Result<RulesLayer, Box<LocatedError>> {
        let selectors = |k: &str, s: Strings| {
            let origin = self.origin(&under(p, k));
            s.0.into_iter()
                .map(|text| Selector {
                    text,
                    origin: origin.clone(),
                })
                .collect()
        };
        let mut layer = RulesLayer {
            select: raw.select.map(|s| selectors("select", s)),
            ignore: raw.ignore.map(|s| selectors("ignore", s)),
            preview: raw.preview.map(|f| f.0),
            ..RulesLayer::default()
        };
        for (code, text) in raw.severity.map(|e| e.0).unwrap_or_default() {
            let q = under(&under(p, "severity"), &code);
            let Some(sev) = Severity::parse(&text) else {
                return Err(self.file.src.at_value(
                    &q,
                    &text,
                    format!("unknown severity `{text}`"),
                    "not a severity",
                    did_you_mean(&text, ["error", "warning", "info"])
                        .or_else(|| Some("use error, warning or info".into())),
                ));
            };
            let selector = Selector {
                text: code.clone(),
                origin: self.origin(&q),
            };
            layer.severity.insert(code, (selector, sev));
        }
        for (code, opts) in raw.options.map(|e| e.0).unwrap_or_default() {
            let origin = self.origin(&under(&under(p, "options"), &code));
            layer.options.insert(code, (opts, origin));
        }
        Ok(layer)
    }

    fn sections(&self, p: &[Seg], raw: RawSections) -> Result<SectionsCfg, Box<LocatedError>> {
        let kinds = |k: &str, s: Strings| -> Result<Vec<SectionKind>, Box<LocatedError>> {
            let q = under(p, k);
            s.0.iter()
                .map(|s| self.section_kind(&q, s, false))
                .collect()
        };
        let mut out = SectionsCfg {
            required: raw.required.map(|s| kinds("required", s)).transpose()?,
            order: raw.order.map(|s| kinds("order", s)).transpose()?,
            ..SectionsCfg::default()
        };
        let q = under(p, "aliases");
        for (kind, names) in raw.aliases.map(|e| e.0).unwrap_or_default() {
            let kind_ = self.section_kind(&q, &kind, true)?;
            out.aliases.insert(kind_, names.0);
        }
        Ok(out)
    }

    fn section_kind(
        &self,
        path: &[Seg],
        s: &str,
        is_key: bool,
    ) -> Result<SectionKind, Box<LocatedError>> {
        SectionKind::from_key(s).ok_or_else(|| {
            let keys = SectionKind::ALL.map(SectionKind::key);
            let help =
                did_you_mean(s, keys).or_else(|| Some(format!("sections: {}", keys.join(", "))));
            let message = format!("unknown section `{s}`");
            if is_key {
                self.file
                    .src
                    .at_key(&under(path, s), message, "unknown section", help)
            } else {
                self.file
                    .src
                    .at_value(path, s, message, "unknown section", help)
            }
        })
    }

    fn globs(&self, path: &[Seg], patterns: Vec<String>) -> Result<Globs, Box<LocatedError>> {
        let src = &self.file.src;
        let mut builder = GlobSetBuilder::new();
        for pattern in &patterns {
            let glob = GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    src.at_value(
                        path,
                        pattern,
                        format!("invalid glob `{pattern}`: {}", e.kind()),
                        "invalid glob",
                        None,
                    )
                })?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| src.at_key(path, format!("invalid globs: {e}"), "here", None))?;
        Ok(Globs {
            set,
            base: self.file.dir.clone(),
            patterns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{FileKind, Source};

    fn read_text(text: &str) -> Result<(Config, Vec<Extends>), Box<LocatedError>> {
        read(&Arc::new(File {
            src: Source::new(FileKind::Config, "sopkit.yaml", text),
            dir: PathBuf::from("/p"),
        }))
    }

    fn error(text: &str) -> (String, Option<String>) {
        let e = read_text(text).unwrap_err();
        let help = miette::Diagnostic::help(&*e).map(|h| h.to_string());
        (e.to_string(), help)
    }

    #[test]
    fn unknown_keys_list_the_known_ones_in_order() {
        let (message, help) = error("zzz: 1\n");
        assert_eq!(
            message,
            "invalid configuration sopkit.yaml:1:1: unknown key `zzz`"
        );
        assert_eq!(
            help.unwrap(),
            "known keys: lang, include, exclude, rules, packs, sections, overrides, extends, \
             preset, fields, dates"
        );
        let (message, help) = error("overrides:\n  - files: a\n    qqq: 1\n");
        assert_eq!(
            message,
            "invalid configuration sopkit.yaml:3:5: unknown key `qqq`"
        );
        assert_eq!(
            help.unwrap(),
            "known keys: files, lang, rules, sections, preset, fields, dates"
        );
        let (message, help) = error("rules:\n  preveiw: true\n");
        assert_eq!(
            message,
            "invalid configuration sopkit.yaml:2:3: unknown key `preveiw` in `rules`"
        );
        assert_eq!(help.unwrap(), "did you mean `preview`?");
        let (_, help) = error("sections:\n  zzz: []\n");
        assert_eq!(help.unwrap(), "known keys: required, order, aliases");
    }

    #[test]
    fn wrong_types_name_the_key_and_what_it_is() {
        for (text, want) in [
            (
                "rules:\n  preview: 1\n",
                "2:3: `preview` must be true or false, not a number",
            ),
            ("rules: [a]\n", "1:1: `rules` must be a map, not a list"),
            (
                "overrides: {files: a}\n",
                "1:1: `overrides` must be a list of maps, not a map",
            ),
            (
                "overrides:\n  - x\n",
                "2:3: this item must be a map, not a string",
            ),
            (
                "include: [a, [b]]\n",
                "1:1: this item must be a string, not a list",
            ),
            ("lang:\n", "1:1: `lang` must be a string, not nothing"),
            ("[1]\n", "1:1: this item must be a map, not a list"),
            (
                "{[a]: 1}\n",
                "1:1: this item must be a map with text keys, not a list",
            ),
        ] {
            let (message, _) = error(text);
            assert_eq!(
                message,
                format!("invalid configuration sopkit.yaml:{want}"),
                "{text}"
            );
        }
    }

    #[test]
    fn checked_values_are_located() {
        for (text, want) in [
            (
                "overrides:\n  - lang: en\n",
                "2:3: an `overrides` entry needs `files`",
            ),
            (
                "rules:\n  severity:\n    P002: loud\n",
                "3:11: unknown severity `loud`",
            ),
            (
                "fields:\n  owner: \" \"\n",
                "2:3: `owner` must name a front matter key",
            ),
            (
                "sections:\n  aliases:\n    procedur: [Steps]\n",
                "3:5: unknown section `procedur`",
            ),
            (
                "include: [\"a/[b\"]\n",
                "1:12: invalid glob `a/[b`: unclosed character class; missing ']'",
            ),
        ] {
            let (message, _) = error(text);
            assert_eq!(
                message,
                format!("invalid configuration sopkit.yaml:{want}"),
                "{text}"
            );
        }
    }

    #[test]
    fn an_empty_value_is_an_empty_list_or_map() {
        // `select:` with nothing selects nothing; `rules:` with nothing changes nothing.
        let (config, extends) =
            read_text("rules:\n  select:\nsections:\nextends: base.yaml\n").unwrap();
        assert_eq!(config.body.rules.select.map(|s| s.len()), Some(0));
        assert!(config.body.sections.required.is_none());
        assert_eq!(extends.len(), 1);
        assert_eq!(extends[0].0, PathBuf::from("/p/base.yaml"));
        assert_eq!(extends[0].2, "base.yaml");
        let (config, _) = read_text("").unwrap();
        assert!(config.include.is_none() && config.overrides.is_none());
    }
}
