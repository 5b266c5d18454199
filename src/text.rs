//! Substring search for the few fixed needles the module looks for
//! (`"_secret_"`, `"://"`, the caller's access token, a URL's `?`, `#`, `&`
//! and `=`). A plain scan instead of `str::find(&str)`, whose Two-Way
//! searcher costs about 1.8 KB of the shipped `.wasm` (and `str::split(char)`'s
//! searcher 0.6 KB more); the texts searched are already bounded by the decoders.

/// The byte offset of the first `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

/// `hay` split around the first `needle`, as `str::split_once`.
pub fn split_once<'a>(hay: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(hay, needle)?;
    // `at` starts a match of a whole `&str`, so both ends are char boundaries.
    Some((hay.get(..at)?, hay.get(at + needle.len()..)?))
}

/// The parts of `hay` between `needle`s, as `str::split` (`needle` not empty).
pub fn split<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> {
    let mut rest = Some(hay);
    std::iter::from_fn(move || {
        let part = rest?;
        match split_once(part, needle) {
            Some((before, after)) => {
                rest = Some(after);
                Some(before)
            }
            None => rest.take(),
        }
    })
}

/// `hay` with every `needle` replaced by `with`, as `str::replace`.
pub fn replace_all(hay: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    while let Some((before, after)) = split_once(rest, needle).filter(|_| !needle.is_empty()) {
        out.push_str(before);
        out.push_str(with);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Whether every byte of `s` passes `ok`: one loop for the module's
/// character-class checks, each class a small function (every closure given
/// to `bytes().all` was its own copy of the iterator code in the `.wasm`).
#[inline(never)]
pub fn all_bytes(s: &str, ok: fn(u8) -> bool) -> bool {
    for &b in s.as_bytes() {
        if !ok(b) {
            return false;
        }
    }
    true
}

/// The offset of the last byte of `s` that passes `hit`, as `rposition`.
#[inline(never)]
pub fn rfind_byte(s: &[u8], hit: fn(u8) -> bool) -> Option<usize> {
    let mut i = s.len();
    while let Some(&b) = i.checked_sub(1).and_then(|last| s.get(last)) {
        i -= 1;
        if hit(b) {
            return Some(i);
        }
    }
    None
}

/// A byte of a word: an ASCII letter or digit, or `_`.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `s` without its final full stops, as `str::trim_end_matches('.')`
/// (whose char searcher costs 0.3 KB of the `.wasm`).
pub fn trim_final_dots(s: &str) -> &str {
    // The byte after the last non-dot byte starts a char: a dot is one byte.
    s.get(..rfind_byte(s.as_bytes(), |b| b != b'.').map_or(0, |i| i + 1)).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_the_standard_library() {
        for (hay, needle) in [
            ("pi_1_secret_2", "_secret_"),
            ("no match", "xyz"),
            ("", "a"),
            ("aaa", "aa"),
            ("é_secret_é", "_secret_"),
            ("x", ""),
            ("a=1&&b&", "&"),
            ("&", "&"),
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay} {needle}");
            assert_eq!(split_once(hay, needle), hay.split_once(needle), "{hay} {needle}");
            if !needle.is_empty() {
                assert_eq!(split(hay, needle).collect::<Vec<_>>(), hay.split(needle).collect::<Vec<_>>(), "{hay} {needle}");
                assert_eq!(replace_all(hay, needle, "[r]"), hay.replace(needle, "[r]"), "{hay} {needle}");
            }
        }
        for s in ["", ".", "...", "Declined.", "Declined", "é.", "a.b..", ".é"] {
            assert_eq!(trim_final_dots(s), s.trim_end_matches('.'), "{s}");
            assert_eq!(rfind_byte(s.as_bytes(), |b| b == b'.'), s.bytes().rposition(|b| b == b'.'), "{s}");
            assert_eq!(all_bytes(s, |b| b == b'.'), s.bytes().all(|b| b == b'.'), "{s}");
        }
    }
}
