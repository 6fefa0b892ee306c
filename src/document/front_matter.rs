//! YAML front matter: found, parsed, and every top-level field located (by the locator of
//! `crate::yaml`).

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{make_span, LineIndex, Span};

/// The parsed front matter block.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrontMatter {
    /// The whole block, from the opening `---` to the end of the closing one.
    pub span: Span,
    pub fields: BTreeMap<String, Field>,
    /// Set when the YAML did not parse, or is not a mapping; `fields` is then empty.
    pub error: Option<FrontMatterError>,
}

/// A top-level front matter field.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub value: serde_json::Value,
    /// The value as written (or the key, for block values).
    pub span: Span,
    pub key_span: Span,
}

impl Field {
    /// Strings as they are; numbers and booleans as text; other values `None`.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A list of strings, accepting a single string as a one-element list.
    pub fn as_list(&self) -> Vec<String> {
        match &self.value {
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            serde_json::Value::String(s) if !s.trim().is_empty() => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}

/// Why the front matter could not be read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrontMatterError {
    pub message: String,
    pub span: Span,
}

/// Splits a source into its front matter block (if any) and the offset where the body starts.
/// Tolerates a byte order mark and CRLF line endings.
pub(crate) fn locate(source: &str) -> Option<(Range<usize>, Range<usize>)> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[start..];
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = start + first_end + 1;
    let mut pos = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((yaml_start..pos, start..pos + line.len()));
        }
        pos += line.len();
    }
    None
}

pub(crate) fn parse(source: &str, index: &LineIndex) -> Option<(FrontMatter, usize)> {
    let (yaml_range, block) = locate(source)?;
    let span = make_span(source, index, block.clone());
    let yaml = &source[yaml_range.clone()];
    let fm = match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(map)) => {
            let mut fields = BTreeMap::new();
            for (key, value) in map {
                let Some(key) = key.as_str().map(str::to_string) else {
                    continue;
                };
                let (key_range, value_range) = locate_field(yaml, yaml_range.start, &key)
                    .unwrap_or((block.start..block.start + 3, block.start..block.start + 3));
                let value = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
                fields.insert(
                    key,
                    Field {
                        value,
                        span: make_span(source, index, value_range),
                        key_span: make_span(source, index, key_range),
                    },
                );
            }
            FrontMatter {
                span,
                fields,
                error: None,
            }
        }
        Ok(serde_yaml::Value::Null) => FrontMatter {
            span,
            fields: BTreeMap::new(),
            error: None,
        },
        Ok(_) => FrontMatter {
            span,
            fields: BTreeMap::new(),
            error: Some(FrontMatterError {
                message: "front matter is not a mapping of `key: value` fields".into(),
                span: make_span(
                    source,
                    index,
                    yaml_range.start..yaml_range.end.max(yaml_range.start),
                ),
            }),
        },
        Err(err) => {
            let at = err
                .location()
                .map(|loc| (yaml_range.start + loc.index()).min(yaml_range.end))
                .unwrap_or(yaml_range.start);
            let end = source[at..yaml_range.end]
                .find('\n')
                .map_or(yaml_range.end, |n| at + n);
            // serde_yaml counts lines from the start of the YAML; say file lines instead.
            let first_line = index.line_col(source, yaml_range.start).0 - 1;
            let message = yaml_message(&err.to_string(), first_line);
            FrontMatter {
                span,
                fields: BTreeMap::new(),
                error: Some(FrontMatterError {
                    message,
                    span: make_span(source, index, at..end.max(at)),
                }),
            }
        }
    };
    Some((fm, block.end))
}

/// Rewrites "at line N column M" in a YAML error message to count lines of the whole file.
fn yaml_message(message: &str, first_line: usize) -> String {
    static AT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"at line (\d+) column (\d+)").expect("regex")
    });
    AT.replace_all(message, |c: &regex::Captures<'_>| {
        let line: usize = c[1].parse().unwrap_or(0);
        format!("at line {} column {}", line + first_line, &c[2])
    })
    .into_owned()
}

/// The key's span and its value's (the key's again for a block value), offset by `base`;
/// `None` when the key is not found.
fn locate_field(yaml: &str, base: usize, key: &str) -> Option<(Range<usize>, Range<usize>)> {
    let path = [crate::yaml::key(key)];
    let k = crate::yaml::key_span(yaml, &path);
    if k.is_empty() {
        return None;
    }
    let v = crate::yaml::inline_value(yaml, &path).unwrap_or_else(|| k.clone());
    Some((base + k.start..base + k.end, base + v.start..base + v.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(src: &str) -> FrontMatter {
        parse(src, &LineIndex::new(src)).unwrap().0
    }

    #[test]
    fn fields_are_located() {
        let src = "---\nid: CS-001\nversion: 1.2.0   # semver\n---\n# T\n";
        let f = fm(src);
        let v = &f.fields["version"];
        assert_eq!(&src[v.span.range()], "1.2.0");
        assert_eq!((v.span.line, v.span.column), (3, 10));
        assert_eq!(f.fields["id"].as_text().unwrap(), "CS-001");
    }

    #[test]
    fn quoted_indented_and_flow_keys_are_located() {
        let src = "---\n\"title\": Reset\nid : A-1\n---\n";
        let f = fm(src);
        assert_eq!(&src[f.fields["title"].key_span.range()], "title");
        assert_eq!(&src[f.fields["title"].span.range()], "Reset");
        assert_eq!(&src[f.fields["id"].span.range()], "A-1");
        let src = "---\n  id: A-1\n  version: bad\n---\n";
        assert_eq!(&src[fm(src).fields["version"].span.range()], "bad");
        let src = "---\n{id: A-1, version: x}\n---\n";
        let f = fm(src);
        assert_eq!(&src[f.fields["version"].span.range()], "x");
        assert_eq!(&src[f.fields["id"].span.range()], "A-1");
    }

    #[test]
    fn bom_and_crlf_are_tolerated() {
        let src = "\u{feff}---\r\nid: A\r\ntitle: B\r\n---\r\n# B\r\n";
        let f = fm(src);
        assert!(f.error.is_none());
        assert_eq!(f.fields["title"].as_text().unwrap(), "B");
        assert_eq!(&src[f.fields["title"].span.range()], "B");
    }

    #[test]
    fn yaml_errors_carry_their_line() {
        let src = "---\nid: A\ntitle: [unclosed\nowner: x\n---\n";
        let f = fm(src);
        let err = f.error.unwrap();
        assert!(err.span.line >= 3, "{err:?}");
    }

    #[test]
    fn no_front_matter() {
        assert!(locate("# Title\n").is_none());
        assert!(locate("---\nno end").is_none());
    }
}
