//! The core's own JSON parser, for native builds (tests, fuzzing). The browser build parses with `JSON.parse` instead (see
//! [`super::parse`]): the browser's parser costs the `.wasm` nothing.

use super::{Json, ParseError, MAX_DEPTH};

/// Parses JSON text, refusing documents nested deeper than [`MAX_DEPTH`].
///
/// ```
/// use cl_checkout::json::{parse, Json, ParseError};
/// assert_eq!(parse(r#"{"a":[1]}"#).unwrap().get("a"), Some(&Json::Array(vec![Json::Number("1".into())])));
/// assert_eq!(parse(r#"{"a":"#), Err(ParseError::Truncated));
/// ```
pub fn parse(text: &str) -> Result<Json, ParseError> {
    let mut p = Parser { bytes: text.as_bytes(), text, pos: 0 };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(ParseError::Invalid(p.pos));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn fail<T>(&self) -> Result<T, ParseError> {
        if self.pos >= self.bytes.len() {
            Err(ParseError::Truncated)
        } else {
            Err(ParseError::Invalid(self.pos))
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), ParseError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            self.fail()
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, ParseError> {
        let end = self.pos + word.len();
        match self.bytes.get(self.pos..end) {
            Some(got) if got == word.as_bytes() => {
                self.pos = end;
                Ok(value)
            }
            // A prefix of the word at the very end is a cut-off body.
            _ if word.as_bytes().starts_with(self.bytes.get(self.pos..).unwrap_or_default()) => Err(ParseError::Truncated),
            _ => Err(ParseError::Invalid(self.pos)),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.fail(),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return self.fail(),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut pairs: Vec<(String, Json)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(pairs));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return self.fail();
            }
            let key = self.string()?;
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            pairs.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(without_duplicates(pairs)));
                }
                _ => return self.fail(),
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Safe slice: the loop stops only on ASCII bytes, which are char boundaries.
            out.push_str(&self.text[start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return self.fail(),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                _ => return self.fail(),
            }
        }
    }

    /// After `\u`: four hex digits, combining a surrogate pair when one follows.
    /// A lone surrogate becomes U+FFFD, as a lenient decoder would show it.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return self.fail(),
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.fail(),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return self.fail();
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.fail();
            }
        }
        Ok(Json::Number(self.text[start..self.pos].to_string()))
    }
}

/// Drops duplicate keys, the last one winning in the first one's place, as
/// `JSON.parse` does, in linear time: a small open-addressing table of
/// FNV-1a hashes, so a hostile object with 200 000 keys costs 200 000 probes,
/// not 4·10¹⁰ comparisons (and no hash-map or sort code in the `.wasm`).
fn without_duplicates(pairs: Vec<(String, Json)>) -> Vec<(String, Json)> {
    if pairs.len() < 2 {
        return pairs;
    }
    let size = (pairs.len() * 2).next_power_of_two();
    let mask = size - 1;
    let mut table: Vec<usize> = vec![usize::MAX; size];
    let mut out: Vec<(String, Json)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let hash = key.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        let mut slot = hash as usize & mask;
        loop {
            match table.get(slot).copied() {
                Some(usize::MAX) => {
                    if let Some(entry) = table.get_mut(slot) {
                        *entry = out.len();
                    }
                    out.push((key, value));
                    break;
                }
                Some(index) => match out.get_mut(index) {
                    Some(existing) if existing.0 == key => {
                        existing.1 = value;
                        break;
                    }
                    _ => slot = (slot + 1) & mask,
                },
                // Unreachable: the table is never full (twice the keys); stop rather than loop.
                None => break,
            }
        }
    }
    out
}

/// Whether `text` is a JSON number (used for numbers that come from JavaScript).
pub fn is_number(text: &str) -> bool {
    matches!(parse(text), Ok(Json::Number(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_back_a_document() {
        let text =
            r#"{"data":{"id":"a1","n":-12.5e+3,"ok":true,"none":null,"list":[1,"two",{}],"s":"q\"\\\n\u00e9\ud83d\ude00"}}"#;
        let value = parse(text).unwrap();
        let data = value.get("data").unwrap();
        assert_eq!(data.get("id").unwrap().as_str(), Some("a1"));
        assert_eq!(data.get("n"), Some(&Json::Number("-12.5e+3".into())));
        assert_eq!(data.get("s").unwrap().as_str(), Some("q\"\\\né😀"));
        let again = parse(&value.to_json_string()).unwrap();
        assert_eq!(again, value);
    }

    #[test]
    fn control_characters_are_escaped_on_write() {
        assert_eq!(Json::str("a\u{1}b\tc").to_json_string(), r#""a\u0001b\tc""#);
    }

    #[test]
    fn cut_off_text_reads_as_truncated() {
        for text in [r#"{"data":{"id":"a"#, r#"{"data":["#, "{\"a\":tr", "[1,", "\"abc", "{\"a\"", "1."] {
            assert_eq!(parse(text), Err(ParseError::Truncated), "{text}");
        }
    }

    #[test]
    fn malformed_text_is_invalid() {
        for text in ["<html>", "{a:1}", "[1,]", "01", "1.x", "-x", "{\"a\":1}x", "\"\\x\"", "nul!", "[\"a\u{1}\"]"] {
            assert!(matches!(parse(text), Err(ParseError::Invalid(_))), "{text}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(parse(&deep), Err(ParseError::TooDeep));
        let huge = "[".repeat(1_000_000);
        assert_eq!(parse(&huge), Err(ParseError::TooDeep));
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(parse(r#""\ud800x""#).unwrap().as_str(), Some("\u{FFFD}x"));
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_in_the_first_place() {
        assert_eq!(parse(r#"{"a":1,"a":2}"#).unwrap(), Json::object([("a", Json::Number("2".into()))]));
        let n = |s: &str| Json::Number(s.into());
        assert_eq!(
            parse(r#"{"b":1,"a":2,"b":3,"c":4,"a":5}"#).unwrap(),
            Json::object([("b", n("3")), ("a", n("5")), ("c", n("4"))])
        );
        // 200 000 keys, all the same: one sort, not 4·10¹⁰ comparisons.
        let many = format!("{{{}\"k\":0}}", "\"k\":1,".repeat(200_000));
        assert_eq!(parse(&many).unwrap(), Json::object([("k", n("0"))]));
    }

    #[test]
    fn number_grammar() {
        for ok in ["0", "-0", "1.5", "1e9", "-2.5E-3"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["NaN", "Infinity", "+1", "1e", "0x10", ""] {
            assert!(!is_number(bad), "{bad}");
        }
    }
}
