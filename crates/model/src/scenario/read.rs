//! Reads a scenario file's TOML into the structs that `scenario.rs` checks.
//!
//! By hand, over the spanned document tree that `toml` parses, and not with
//! serde: deriving `Deserialize` instantiated toml's deserializer for every
//! field type of every struct, which was about a tenth of the browser's
//! wasm. The messages are the ones serde gave (`missing field`, `unknown
//! field ..., expected one of ...`, `invalid type: ..., expected ...`), at
//! the same spans, so errors still name the line and column.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A TOML value, as `toml::Value` holds it (without the spans of nested
/// values). Floats and datetimes are kept only by kind: no scenario setting
/// takes one.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    String(String),
    Integer(i64),
    Boolean(bool),
    Array(Vec<Value>),
    Table(BTreeMap<String, Value>),
    /// A float or a datetime.
    Other,
}

impl Value {
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub(super) fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    pub(super) fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(super) fn as_table(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }
}

/// A table of settings (`[broker]`, a consumer's `config`, a guide step's `expect`).
pub(super) type Settings = BTreeMap<String, Spanned<Value>>;

/// A problem, where it is (a byte span of the file).
pub(super) struct Error {
    pub span: Option<Range<usize>>,
    pub message: String,
}

type Item<'i> = Spanned<DeValue<'i>>;
type Result<T> = std::result::Result<T, Error>;

fn error(span: Range<usize>, message: impl Into<String>) -> Error {
    Error { span: Some(span), message: message.into() }
}

/// serde's `invalid type: <what the file has>, expected <what>`.
fn invalid_type(v: &Item, expected: &str) -> Error {
    let found = match v.get_ref() {
        DeValue::String(s) => format!("string {}", super::quote(s)),
        DeValue::Integer(i) => format!("integer `{i}`"),
        DeValue::Float(f) => format!("floating point `{}`", f.as_str()),
        DeValue::Boolean(b) => format!("boolean `{b}`"),
        DeValue::Array(_) => "sequence".into(),
        DeValue::Datetime(_) | DeValue::Table(_) => "map".into(),
    };
    error(v.span(), format!("invalid type: {found}, expected {expected}"))
}

pub(super) fn string(v: &Item) -> Result<Spanned<String>> {
    match v.get_ref() {
        DeValue::String(s) => Ok(Spanned::new(v.span(), s.to_string())),
        _ => Err(invalid_type(v, "a string")),
    }
}

fn boolean(v: &Item) -> Result<bool> {
    v.get_ref().as_bool().ok_or_else(|| invalid_type(v, "a boolean"))
}

/// An integer that fits `T` (`name` is its name in messages).
fn integer<T: TryFrom<i128> + Display>(v: &Item, name: &str) -> Result<Spanned<T>> {
    let DeValue::Integer(i) = v.get_ref() else {
        return Err(invalid_type(v, name));
    };
    let Ok(n) = i128::from_str_radix(i.as_str(), i.radix()) else {
        return Err(error(v.span(), "integer number overflowed"));
    };
    if let Ok(t) = T::try_from(n) {
        return Ok(Spanned::new(v.span(), t));
    }
    let message = if i64::try_from(n).is_ok() || u64::try_from(n).is_ok() {
        format!("invalid value: integer `{n}`, expected {name}")
    } else {
        format!("invalid type: integer `{n}` as i128, expected {name}")
    };
    Err(error(v.span(), message))
}

pub(super) fn int(v: &Item) -> Result<Spanned<i64>> {
    integer(v, "i64")
}

pub(super) fn uint(v: &Item) -> Result<Spanned<u64>> {
    integer(v, "u64")
}

pub(super) fn u32(v: &Item) -> Result<u32> {
    integer(v, "u32").map(Spanned::into_inner)
}

pub(super) fn flag(v: &Item) -> Result<bool> {
    boolean(v)
}

/// An array, each item read by `item`.
pub(super) fn array<T>(v: &Item, item: &dyn Fn(&Item) -> Result<T>) -> Result<Spanned<Vec<T>>> {
    let DeValue::Array(items) = v.get_ref() else {
        return Err(invalid_type(v, "a sequence"));
    };
    let items = items.iter().map(item).collect::<Result<Vec<T>>>()?;
    Ok(Spanned::new(v.span(), items))
}

pub(super) fn strings(v: &Item) -> Result<Spanned<Vec<String>>> {
    array(v, &|i| string(i).map(Spanned::into_inner))
}

pub(super) fn spanned_strings(v: &Item) -> Result<Spanned<Vec<Spanned<String>>>> {
    array(v, &string)
}

/// Any value.
pub(super) fn value(v: &Item) -> Result<Spanned<Value>> {
    Ok(Spanned::new(v.span(), plain(v)?))
}

fn plain(v: &Item) -> Result<Value> {
    Ok(match v.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(_) => Value::Integer(
            integer::<i64>(v, "i64")
                .map_err(|e| Error { message: "integer number overflowed".into(), ..e })?
                .into_inner(),
        ),
        DeValue::Boolean(b) => Value::Boolean(*b),
        DeValue::Float(_) | DeValue::Datetime(_) => Value::Other,
        DeValue::Array(items) => Value::Array(items.iter().map(plain).collect::<Result<_>>()?),
        DeValue::Table(t) => Value::Table(crate::sort::try_btree_map(
            t.iter().map(|(k, v)| Ok((k.get_ref().to_string(), plain(v)?))),
        )?),
    })
}

/// A table of any values, each with its span.
pub(super) fn settings(v: &Item) -> Result<Spanned<Settings>> {
    let DeValue::Table(t) = v.get_ref() else {
        return Err(invalid_type(v, "a map"));
    };
    let map = crate::sort::try_btree_map(t.iter().map(|(k, v)| Ok((k.get_ref().to_string(), value(v)?))))?;
    Ok(Spanned::new(v.span(), map))
}

/// Reads the fields of a table in the file's order, as serde's derive did:
/// `each` gets every key of `fields`; any other key is an error at the key.
/// Returns the table's span, for [`required`].
pub(super) fn table(
    v: &Item,
    name: &str,
    fields: &[&str],
    each: &mut dyn FnMut(&str, &Item) -> Result<()>,
) -> Result<Range<usize>> {
    let DeValue::Table(t) = v.get_ref() else {
        return Err(invalid_type(v, name));
    };
    for (key, value) in t.iter() {
        let key_text: &str = key.get_ref();
        if !fields.contains(&key_text) {
            let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            let expected = match &names[..] {
                [one] => one.clone(),
                [a, b] => format!("{a} or {b}"),
                _ => format!("one of {}", names.join(", ")),
            };
            return Err(error(key.span(), format!("unknown field `{key_text}`, expected {expected}")));
        }
        each(key_text, value)?;
    }
    Ok(v.span())
}

/// A field without a default: missing is an error at the table.
pub(super) fn required<T>(field: Option<T>, name: &str, table: &Range<usize>) -> Result<T> {
    field.ok_or_else(|| error(table.clone(), format!("missing field `{name}`")))
}

/// The whole document.
pub(super) fn document(text: &str) -> Result<Item<'_>> {
    let root =
        DeTable::parse(text).map_err(|e| Error { span: e.span(), message: e.message().to_string() })?;
    let span = root.span();
    Ok(Spanned::new(span, DeValue::Table(root.into_inner())))
}
