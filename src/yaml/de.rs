//! Typed reading of a parsed `serde_yaml::Value` with errors that keep their path and kind.
//!
//! `serde_yaml` reduces every deserialization error to a message string; this deserializer
//! hands serde's structured errors (unknown field and what was expected, wrong type and what
//! it was) to [`Error`] and records the path of keys and indices it failed under, so that the
//! locator can point at the place and the caller can word the message.
//!
//! Its policy, the same for every file sopkit reads:
//! - A key that is present is `Some`, even when its value is empty: the field's type decides
//!   what nothing means (an empty map or list, or an error for a string).
//! - A struct or map may be written empty (`rules:`): it reads as an empty map.
//! - Map keys are text: numbers and booleans are read as their text; other keys are an error.
//! - A number read as a string is its text as a number (`lang: 12` is `"12"`, `1.10` is `"1.1"`).

use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, Visitor,
};
use serde::Deserialize;
use serde_yaml::Value;

use super::locate::Seg;

/// A deserialization error: what went wrong, and under which path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Error {
    /// Keys and indices from the document's root to the value that failed.
    pub path: Vec<Seg>,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ErrorKind {
    /// `got` is "a number", "a list", "nothing", ...; `want` is what the type expects.
    InvalidType { got: &'static str, want: String },
    /// A key that the struct at `path` does not have; `expected` are its keys, in order.
    UnknownField {
        field: String,
        expected: &'static [&'static str],
    },
    /// A name that the enum at `path` does not have.
    UnknownVariant {
        variant: String,
        expected: &'static [&'static str],
    },
    /// A required key that the map at `path` lacks.
    MissingField(&'static str),
    /// Anything else, in serde's words.
    Other(String),
}

impl Error {
    fn new(kind: ErrorKind) -> Self {
        Self {
            path: Vec::new(),
            kind,
        }
    }

    fn under(mut self, seg: Seg) -> Self {
        self.path.insert(0, seg);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", super::Dotted(&self.path))?;
        }
        match &self.kind {
            ErrorKind::InvalidType { got, want } => write!(f, "expected {want}, not {got}"),
            ErrorKind::UnknownField { field, .. } => write!(f, "unknown key `{field}`"),
            ErrorKind::UnknownVariant { variant, .. } => write!(f, "unknown variant `{variant}`"),
            ErrorKind::MissingField(k) => write!(f, "missing key `{k}`"),
            ErrorKind::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// How a value is named in messages ("must be a string, not a list").
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

fn unexpected_name(u: &Unexpected<'_>) -> &'static str {
    match u {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "a number",
        Unexpected::Char(_) | Unexpected::Str(_) => "a string",
        Unexpected::Unit | Unexpected::Option => "nothing",
        Unexpected::Seq => "a list",
        Unexpected::Map => "a map",
        _ => "a value of another kind",
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(ErrorKind::Other(msg.to_string()))
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::new(ErrorKind::InvalidType {
            got: unexpected_name(&unexp),
            want: exp.to_string(),
        })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::new(ErrorKind::UnknownField {
            field: field.to_string(),
            expected,
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(ErrorKind::UnknownVariant {
            variant: variant.to_string(),
            expected,
        })
    }

    fn missing_field(field: &'static str) -> Self {
        Self::new(ErrorKind::MissingField(field))
    }
}

/// Reads a `T` from a parsed value.
pub(crate) fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    T::deserialize(ValueDe(value))
}

fn wrong_type(v: &Value, want: impl fmt::Display) -> Error {
    Error::new(ErrorKind::InvalidType {
        got: type_name(v),
        want: want.to_string(),
    })
}

static EMPTY: std::sync::LazyLock<serde_yaml::Mapping> =
    std::sync::LazyLock::new(serde_yaml::Mapping::new);

struct ValueDe<'a>(&'a Value);

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, Some(f)) => visitor.visit_f64(f),
                (None, None, None) => visitor.visit_string(n.to_string()),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Sequence(items) => visitor.visit_seq(Seq {
                items: items.iter(),
                at: 0,
            }),
            Value::Mapping(m) => visitor.visit_map(Map {
                entries: m.iter(),
                key: None,
            }),
            Value::Tagged(t) => visitor.visit_enum(Tagged(t)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(n) => visitor.visit_string(n.to_string()),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let m = match self.0 {
            Value::Mapping(m) => m,
            Value::Null => &*EMPTY,
            other => return Err(wrong_type(other, "a map")),
        };
        visitor.visit_map(Map {
            entries: m.iter(),
            key: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => {
                let name: StrDeserializer<'_, Error> = s.as_str().into_deserializer();
                visitor.visit_enum(name)
            }
            Value::Tagged(t) => visitor.visit_enum(Tagged(t)),
            other => Err(wrong_type(other, &visitor as &dyn Expected)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct identifier
    }
}

/// `!tag value`: an enum variant named by the tag, as serde_yaml reads it.
struct Tagged<'a>(&'a serde_yaml::value::TaggedValue);

impl<'de> de::EnumAccess<'de> for Tagged<'de> {
    type Error = Error;
    type Variant = ValueDe<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let tag = self.0.tag.to_string();
        let name = tag
            .strip_prefix('!')
            .filter(|n| !n.is_empty())
            .unwrap_or(&tag);
        let variant = seed.deserialize(name.into_deserializer())?;
        Ok((variant, ValueDe(&self.0.value)))
    }
}

impl<'de> de::VariantAccess<'de> for ValueDe<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(wrong_type(other, "nothing")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

struct Seq<'a> {
    items: std::slice::Iter<'a, Value>,
    at: usize,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let at = self.at;
        self.at += 1;
        seed.deserialize(ValueDe(item))
            .map(Some)
            .map_err(|e| e.under(Seg::Index(at)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'a> {
    entries: serde_yaml::mapping::Iter<'a>,
    key: Option<(String, &'a Value)>,
}

/// A map key as text: strings, numbers and booleans.
fn key_text(k: &Value) -> Option<String> {
    match k {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((k, v)) = self.entries.next() else {
            return Ok(None);
        };
        let Some(text) = key_text(k) else {
            return Err(wrong_type(k, "a map with text keys"));
        };
        let key = seed.deserialize(text.as_str().into_deserializer())?;
        self.key = Some((text, v));
        Ok(Some(key))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let Some((k, v)) = self.key.take() else {
            return Err(de::Error::custom("a value without a key"));
        };
        seed.deserialize(ValueDe(v))
            .map_err(|e| e.under(Seg::Key(k)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A map read in file order, as (key, value) pairs: for maps whose keys are data (rule codes,
/// section names) and are checked after reading, in the order a reader sees them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entries<T>(pub Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::key;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        name: Option<String>,
        on: Option<bool>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Plain,
        Fancy,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Option<Inner>,
        list: Option<Vec<Inner>>,
        map: Option<Entries<u32>>,
        need: Option<Need>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Need {
        must: String,
    }

    fn read(yaml: &str) -> Result<Outer, Error> {
        from_value(&serde_yaml::from_str::<Value>(yaml).unwrap())
    }

    #[test]
    fn errors_keep_path_and_kind() {
        let e = read("inner:\n  nme: x\n").unwrap_err();
        assert_eq!(e.path, vec![key("inner")]);
        assert!(
            matches!(e.kind, ErrorKind::UnknownField { ref field, expected }
            if field == "nme" && expected == ["name", "on", "kind"])
        );
        let e = read("list:\n  - name: a\n  - on: 3\n").unwrap_err();
        assert_eq!(e.path, vec![key("list"), Seg::Index(1), key("on")]);
        assert_eq!(
            e.kind,
            ErrorKind::InvalidType {
                got: "a number",
                want: "a boolean".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "list[1].on: expected a boolean, not a number"
        );
        let e = read("inner: [1]\n").unwrap_err();
        assert_eq!(e.to_string(), "inner: expected a map, not a list");
        let e = read("inner: {kind: plane}\n").unwrap_err();
        assert!(
            matches!(e.kind, ErrorKind::UnknownVariant { ref variant, .. } if variant == "plane")
        );
        let e = read("need: {}\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::MissingField("must"));
        let e = read("map: {[a]: 1}\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "map: expected a map with text keys, not a list"
        );
    }

    #[test]
    fn empty_values_and_text_keys() {
        let o = read("inner:\nmap: {b: 2, 1: 3, true: 4}\n").unwrap();
        let inner = o.inner.unwrap();
        assert!(inner.name.is_none() && inner.on.is_none());
        let keys: Vec<&str> = o
            .map
            .as_ref()
            .unwrap()
            .0
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["b", "1", "true"]);
        let o = read("inner: {name: 12, kind: fancy}\n")
            .unwrap()
            .inner
            .unwrap();
        assert_eq!(o.name.as_deref(), Some("12"));
        assert_eq!(o.kind, Some(Kind::Fancy));
        let e = read("inner: {name: }\n").unwrap_err();
        assert_eq!(e.to_string(), "inner.name: expected a string, not nothing");
    }

    #[test]
    fn any_value_reads_back() {
        let v: Value =
            serde_yaml::from_str("a: [1, -2, 3.5, x, true, ~, {b: c}, !t {d: 1}]").unwrap();
        let back: Value = from_value(&v).unwrap();
        assert_eq!(back, v);
    }
}
