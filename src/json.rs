//! A small JSON value, its writer, and parsing (bounded). In the browser the
//! browser's own `JSON.parse` and `JSON.stringify` do both (`browser/convert.rs`).
//!
//! Numbers stay as their source text: the module only passes them through to
//! JavaScript, so it never needs float parsing or formatting code in the `.wasm`.
//! Objects keep their key order (JSON:API documents are small per object).

/// Deeper documents are refused: no real JSON:API response nests this far,
/// and the limit keeps the recursive parser and converters off the stack's edge.
pub const MAX_DEPTH: usize = 64;

/// A JSON value (`Null` by default).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// The number's JSON text, already checked against the JSON grammar.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, its members in their order.
    Object(Vec<(String, Json)>),
}

fn object_from(pairs: Vec<(&str, Json)>) -> Json {
    let mut out = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        out.push((k.to_string(), v));
    }
    Json::Object(out)
}

impl Json {
    /// A JSON string.
    pub fn str(s: &str) -> Json {
        Json::String(s.to_string())
    }

    /// Builds an object from `(key, value)` pairs.
    pub fn object<const N: usize>(pairs: [(&str, Json); N]) -> Json {
        // One copy of the loop for every N (each N was its own ~430 B in the `.wasm`).
        object_from(Vec::from(pairs))
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// Sets `key`, replacing an existing value. No effect on non-objects.
    pub fn insert(&mut self, key: &str, value: Json) {
        if let Json::Object(pairs) = self {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => pairs.push((key.to_string(), value)),
            }
        }
    }

    /// Rewrites every string of the value in place, object keys included, at
    /// any depth (parsed values nest at most [`MAX_DEPTH`] levels).
    pub fn map_strings(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            Json::String(s) => f(s),
            Json::Array(items) => items.iter_mut().for_each(|item| item.map_strings(f)),
            Json::Object(pairs) => {
                for (key, value) in pairs.iter_mut() {
                    f(key);
                    value.map_strings(f);
                }
            }
            Json::Null | Json::Bool(_) | Json::Number(_) => {}
        }
    }

    /// The JSON text.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// The JSON text, written by the browser's `JSON.stringify`.
    #[cfg(target_arch = "wasm32")]
    pub fn to_json_string(&self) -> String {
        crate::browser::json_text(self)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Number(text) => out.push_str(text),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(pairs) => {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                for nibble in [(c as u32) >> 4, (c as u32) & 15] {
                    out.push(char::from_digit(nibble, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why a text is not JSON; the caller turns it into a user-facing error.
#[derive(Debug, PartialEq)]
pub enum ParseError {
    /// The text ended before the value was complete (a cut-off body).
    Truncated,
    /// The value nests deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Anything else, with the byte offset where parsing stopped.
    Invalid(usize),
}

#[cfg(not(target_arch = "wasm32"))]
mod parser;
#[cfg(not(target_arch = "wasm32"))]
pub use parser::{is_number, parse};

/// Parses JSON text, refusing documents nested deeper than [`MAX_DEPTH`]: in
/// the browser with `JSON.parse` (the browser's native parser; 1.4 KB gzip of
/// parser not shipped), copied into a [`Json`] by the edge. Native builds use
/// the core's own parser (`json/parser.rs`), which the tests and the fuzzer
/// hold to the same contract: last duplicate key wins in the first one's place.
#[cfg(target_arch = "wasm32")]
pub fn parse(text: &str) -> Result<Json, ParseError> {
    crate::browser::parse_json(text)
}
