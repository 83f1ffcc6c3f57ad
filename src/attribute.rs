//! Typed gazetteer attributes: the types a gazetteer header declares (`lat:float`,
//! `population:int`), and the values the graph and its exports carry.
//!
//! Types are declared, never guessed from the values: a column's type then cannot flip
//! because one row was added (one `n/a` would turn a guessed number column back into text
//! in every output), and a value that does not parse is an error at its `path:line`
//! instead of a silent string.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The type of an attribute column, declared in a gazetteer header as `name:TYPE`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum AttrType {
    /// Text (`name:string`, or no declaration): the value as written.
    #[default]
    String,
    /// A whole number that fits in 64 bits (`name:int`): `-12`, `368650`.
    Int,
    /// A finite decimal number (`name:float`): `29.81667`, `-8.396`, `1e3`.
    Float,
    /// A truth value (`name:bool`): `true`/`yes` or `false`/`no`, any case.
    Bool,
}

impl AttrType {
    /// Every type, in the order the messages list them.
    pub const ALL: [AttrType; 4] = [
        AttrType::String,
        AttrType::Int,
        AttrType::Float,
        AttrType::Bool,
    ];

    /// The name written in a header (`int`, `float`, `bool`, `string`).
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Int => "int",
            AttrType::Float => "float",
            AttrType::Bool => "bool",
        }
    }

    /// The type named `s` in a header, if any.
    pub fn from_name(s: &str) -> Option<AttrType> {
        AttrType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// `value` read as this type, or why it cannot be (a phrase: `is not an int`).
    pub fn parse(self, value: &str) -> Result<AttrValue, String> {
        let v = value.trim();
        let bad = || {
            let article = if self == AttrType::Int { "an" } else { "a" };
            format!("{v:?} is not {article} {}", self.as_str())
        };
        match self {
            AttrType::String => Ok(AttrValue::String(value.to_string())),
            AttrType::Int => v.parse::<i64>().map(AttrValue::Int).map_err(|_| bad()),
            AttrType::Float => match v.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(AttrValue::Float(f)),
                _ => Err(bad()),
            },
            AttrType::Bool => match v.to_ascii_lowercase().as_str() {
                "true" | "yes" => Ok(AttrValue::Bool(true)),
                "false" | "no" => Ok(AttrValue::Bool(false)),
                _ => Err(bad()),
            },
        }
    }
}

impl fmt::Display for AttrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Splits a header column `name:TYPE` into its name and declared type; a column without
/// `:` is text. `Err` says what is wrong (a phrase after the column: `declares the unknown
/// type ...`); a name never holds a `:`, so every export can use names as they are (Neo4j
/// reads `name:type` headers).
pub fn split_declaration(column: &str) -> Result<(&str, Option<AttrType>), String> {
    match column.split_once(':') {
        None => Ok((column, None)),
        Some((name, ty)) => match AttrType::from_name(ty.trim()) {
            Some(t) if !name.trim().is_empty() => Ok((name.trim_end(), Some(t))),
            Some(_) => Err("declares a type but has no name".to_string()),
            None if ty.contains(':') => {
                Err("has more than one `:` (write NAME:TYPE, the name without `:`)".to_string())
            }
            None => Err(format!(
                "declares the unknown type `{ty}` (types: int, float, bool, string)"
            )),
        },
    }
}

/// An attribute value of a node: written as a JSON string, integer, number or boolean.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    /// Text, as written in the gazetteer.
    String(String),
    /// A whole number.
    Int(i64),
    /// A finite number.
    Float(f64),
    /// A truth value.
    Bool(bool),
}

impl AttrValue {
    /// The value's type.
    pub fn kind(&self) -> AttrType {
        match self {
            AttrValue::String(_) => AttrType::String,
            AttrValue::Int(_) => AttrType::Int,
            AttrValue::Float(_) => AttrType::Float,
            AttrValue::Bool(_) => AttrType::Bool,
        }
    }

    /// The value as a number, for an int or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            AttrValue::Int(i) => Some(i as f64),
            AttrValue::Float(f) => Some(f),
            _ => None,
        }
    }
}

impl fmt::Display for AttrValue {
    /// Text as is; numbers in their shortest round-trip form (`29.81667`, `2.0` is `2`);
    /// booleans as `true`/`false`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::String(s) => f.write_str(s),
            AttrValue::Int(i) => write!(f, "{i}"),
            AttrValue::Float(x) => write!(f, "{x}"),
            AttrValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrValue::String(v) => s.serialize_str(v),
            AttrValue::Int(v) => s.serialize_i64(*v),
            AttrValue::Float(v) => s.serialize_f64(*v),
            AttrValue::Bool(v) => s.serialize_bool(*v),
        }
    }
}

impl<'de> Deserialize<'de> for AttrValue {
    /// A JSON string, integer, number or boolean; `null`, an array or an object is kept
    /// as its JSON text, so a hand-made graph.json still loads.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AttrValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an attribute value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AttrValue, E> {
                Ok(AttrValue::String(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<AttrValue, E> {
                Ok(AttrValue::String(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AttrValue, E> {
                Ok(AttrValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AttrValue, E> {
                Ok(i64::try_from(v)
                    .map(AttrValue::Int)
                    .unwrap_or(AttrValue::Float(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AttrValue, E> {
                Ok(AttrValue::Float(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<AttrValue, E> {
                Ok(AttrValue::Bool(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<AttrValue, E> {
                Ok(AttrValue::String("null".into()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<AttrValue, A::Error> {
                let v = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(AttrValue::String(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<AttrValue, A::Error> {
                let v = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(AttrValue::String(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The one type of each attribute over many values: the values' type when they all share
/// it, float when ints and floats mix, text otherwise. What the typed exports (GraphML,
/// GEXF, CSV headers) declare for a column.
pub fn common_type<'a>(values: impl IntoIterator<Item = &'a AttrValue>) -> AttrType {
    let mut out: Option<AttrType> = None;
    for v in values {
        let t = v.kind();
        out = Some(match out {
            None => t,
            Some(o) if o == t => o,
            Some(AttrType::Int | AttrType::Float)
                if matches!(t, AttrType::Int | AttrType::Float) =>
            {
                AttrType::Float
            }
            Some(_) => return AttrType::String,
        });
    }
    out.unwrap_or(AttrType::String)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_name_colon_type() {
        assert_eq!(
            split_declaration("lat:float"),
            Ok(("lat", Some(AttrType::Float)))
        );
        assert_eq!(
            split_declaration("population:int"),
            Ok(("population", Some(AttrType::Int)))
        );
        assert_eq!(split_declaration("wikidata"), Ok(("wikidata", None)));
        assert!(
            split_declaration("a:b:bool")
                .unwrap_err()
                .contains("more than one")
        );
        assert!(split_declaration(":int").is_err());
        assert_eq!(
            split_declaration("lat:double"),
            Err("declares the unknown type `double` (types: int, float, bool, string)".into())
        );
    }

    #[test]
    fn values_parse_by_type_or_say_why_not() {
        assert_eq!(AttrType::Int.parse("368650"), Ok(AttrValue::Int(368650)));
        assert_eq!(AttrType::Int.parse("-3"), Ok(AttrValue::Int(-3)));
        assert_eq!(
            AttrType::Int.parse("3.5"),
            Err("\"3.5\" is not an int".into())
        );
        assert_eq!(
            AttrType::Float.parse("-8.39600"),
            Ok(AttrValue::Float(-8.396))
        );
        assert!(AttrType::Float.parse("NaN").is_err());
        assert!(AttrType::Float.parse("inf").is_err());
        assert_eq!(
            AttrType::Float.parse("n/a"),
            Err("\"n/a\" is not a float".into())
        );
        assert_eq!(AttrType::Bool.parse("Yes"), Ok(AttrValue::Bool(true)));
        assert_eq!(AttrType::Bool.parse("false"), Ok(AttrValue::Bool(false)));
        assert!(AttrType::Bool.parse("1").is_err());
        assert_eq!(
            AttrType::String.parse("Q1"),
            Ok(AttrValue::String("Q1".into()))
        );
    }

    #[test]
    fn json_keeps_the_types() {
        let vs = [
            AttrValue::String("Q1".into()),
            AttrValue::Int(5),
            AttrValue::Float(29.81667),
            AttrValue::Bool(true),
        ];
        let text = serde_json::to_string(&vs).unwrap();
        assert_eq!(text, r#"["Q1",5,29.81667,true]"#);
        let back: Vec<AttrValue> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, vs);
        let odd: Vec<AttrValue> = serde_json::from_str(r#"[null,[1],{"a":2}]"#).unwrap();
        assert_eq!(odd[2], AttrValue::String(r#"{"a":2}"#.into()));
    }

    #[test]
    fn a_column_has_one_type() {
        let i = AttrValue::Int(1);
        let f = AttrValue::Float(1.5);
        let s = AttrValue::String("x".into());
        assert_eq!(common_type([&i, &i]), AttrType::Int);
        assert_eq!(common_type([&i, &f]), AttrType::Float);
        assert_eq!(common_type([&i, &s]), AttrType::String);
        assert_eq!(common_type([]), AttrType::String);
    }
}
