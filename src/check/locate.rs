//! Where a spec field is in the spec's text: findings on fields (`deployment.changes[1].database`)
//! get the line and column of the field's value, read from the YAML or JSON spans of
//! serde-saphyr or the TOML spans of the toml crate.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// A parsed document reduced to its shape and where each value starts.
#[derive(Debug, Default)]
enum Node {
    Map(BTreeMap<String, Spanned<Node>>),
    Seq(Vec<Spanned<Node>>),
    #[default]
    Scalar,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

macro_rules! scalar {
    ($($name:ident: $t:ty),*) => {
        $(fn $name<E: de::Error>(self, _: $t) -> Result<Node, E> { Ok(Node::Scalar) })*
    };
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    scalar!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str,
        visit_i128: i128, visit_u128: u128, visit_bytes: &[u8]);
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Spanned<Node>>()? {
            items.push(v);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(k) = map.next_key::<KeyText>()? {
            let v = map.next_value::<Spanned<Node>>()?;
            out.insert(k.0, v);
        }
        Ok(Node::Map(out))
    }
}

/// A mapping key as text, whatever scalar it is (`1:` and `true:` too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Where a field's value is: 1-based line and column. `exact` is false when the field itself is
/// absent and the place is that of the nearest enclosing value that is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldAt {
    pub line: u32,
    pub column: u32,
    pub exact: bool,
}

/// Finds `field` in the spec `text` of the given form; `None` when the text does not parse or
/// not even the field's first segment is there.
pub fn field_at(text: &str, form: crate::spec::InputForm, field: &str) -> Option<FieldAt> {
    let path = segments(field)?;
    match form {
        crate::spec::InputForm::Yaml | crate::spec::InputForm::Json => yaml_field(text, &path),
        crate::spec::InputForm::Toml => toml_field(text, &path),
        crate::spec::InputForm::Brief => None,
    }
}

fn yaml_field(text: &str, path: &[Segment]) -> Option<FieldAt> {
    let root: Spanned<Node> = serde_saphyr::from_str(text).ok()?;
    let mut here = &root;
    let mut found = None;
    for (i, seg) in path.iter().enumerate() {
        let next = match (&here.value, seg) {
            (Node::Map(m), Segment::Key(k)) => m.get(*k),
            (Node::Seq(v), Segment::Index(n)) => v.get(*n),
            _ => None,
        };
        match next {
            Some(n) => {
                here = n;
                found = Some(FieldAt {
                    line: u32::try_from(n.referenced.line()).ok()?,
                    column: u32::try_from(n.referenced.column()).ok()?,
                    exact: i + 1 == path.len(),
                });
            }
            None => break,
        }
    }
    found
}

fn toml_field(text: &str, path: &[Segment]) -> Option<FieldAt> {
    use toml::de::{DeArray, DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let source = crate::base::source::SourceFile::new("spec", text.to_string());
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut array: Option<&DeArray> = None;
    let mut found = None;
    for (i, seg) in path.iter().enumerate() {
        let next = match (seg, table, array) {
            (Segment::Key(k), Some(t), _) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == *k)
                .map(|(_, v)| v),
            (Segment::Index(n), _, Some(a)) => a.get(*n),
            _ => None,
        };
        let Some(v) = next else { break };
        let (line, column) = source.line_col(v.span().start);
        found = Some(FieldAt {
            line,
            column,
            exact: i + 1 == path.len(),
        });
        (table, array) = match v.get_ref() {
            DeValue::Table(t) => (Some(t), None),
            DeValue::Array(a) => (None, Some(a)),
            _ => (None, None),
        };
    }
    found
}

/// `deployment.changes[1].database` → `deployment`, `changes`, `[1]`, `database`.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Option<Vec<Segment<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Segment::Key(name));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(Segment::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::InputForm;

    #[test]
    fn yaml_fields_are_found_at_their_value() {
        let y = "deployment:\n  name: api\n  changes:\n    - kind: code\n    - kind: migration\n      database: \"orders\"\n";
        let at = |f| field_at(y, InputForm::Yaml, f);
        assert_eq!(
            at("deployment.name"),
            Some(FieldAt {
                line: 2,
                column: 9,
                exact: true
            })
        );
        assert_eq!(
            at("deployment.changes[1].database"),
            Some(FieldAt {
                line: 6,
                column: 17,
                exact: true
            })
        );
        // Absent: the nearest value that is there.
        assert_eq!(
            at("deployment.changes[1].sql"),
            Some(FieldAt {
                line: 5,
                column: 7,
                exact: false
            })
        );
        assert_eq!(at("nothing.here"), None);
        assert_eq!(field_at("a: [", InputForm::Yaml, "a"), None);
    }

    #[test]
    fn json_and_toml_fields_are_found() {
        let j = "{\n  \"deployment\": {\n    \"name\": \"api\"\n  }\n}\n";
        assert_eq!(
            field_at(j, InputForm::Json, "deployment.name"),
            Some(FieldAt {
                line: 3,
                column: 13,
                exact: true
            })
        );
        let t = "[deployment]\nname = \"api\"\n\n[[deployment.changes]]\nkind = \"code\"\n";
        assert_eq!(
            field_at(t, InputForm::Toml, "deployment.name"),
            Some(FieldAt {
                line: 2,
                column: 8,
                exact: true
            })
        );
        assert_eq!(
            field_at(t, InputForm::Toml, "deployment.changes[0].kind"),
            Some(FieldAt {
                line: 5,
                column: 8,
                exact: true
            })
        );
    }
}
