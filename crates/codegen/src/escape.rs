//! String literals for each language. Ids, topics and property values come
//! from a person (or a scenario file), so a quote, a backslash or a line
//! break in them must not end the literal or the comment it appears in.
//!
//! The same literals are used inside comments (`// consumer "c1"`): they
//! never contain a line break, so a line comment cannot be cut short.

use std::fmt::Write;

use offsetlab_model::scenario::quoted;

/// Characters that change how text reads without being visible (bidi
/// overrides, zero-width and line/paragraph separators, the BOM), and
/// every other non-alphanumeric character outside ASCII: always escaped.
fn keep_as_is(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_control();
    }
    c.is_alphanumeric()
}

/// A Java string literal, in ASCII.
///
/// Java translates `\uXXXX` before it reads the source, so a `\u000a` in a
/// literal (or a comment) would be a real line break: control characters
/// use the octal escape instead, and `\u` is only used outside ASCII, where
/// it can never produce a line terminator, a quote or a backslash. A
/// backslash from the input is doubled, and `\\u` is not a Unicode escape.
pub fn java(s: &str) -> String {
    quoted(s, |c, out| {
        if c.is_ascii_control() {
            let _ = write!(out, "\\{:03o}", c as u32);
        } else if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    })
}

/// A Python string literal (the source is UTF-8, Python's default).
pub fn python(s: &str) -> String {
    quoted(s, |c, out| {
        let _ = match c as u32 {
            _ if keep_as_is(c) => write!(out, "{c}"),
            n if n < 0x100 => write!(out, "\\x{n:02x}"),
            n if n < 0x10000 => write!(out, "\\u{n:04x}"),
            n => write!(out, "\\U{n:08x}"),
        };
    })
}

/// A Rust string literal. Bidi controls are escaped, which also keeps
/// rustc's deny-by-default `text_direction_codepoint_in_literal` quiet.
pub fn rust(s: &str) -> String {
    quoted(s, |c, out| {
        let _ = if keep_as_is(c) { write!(out, "{c}") } else { write!(out, "\\u{{{:x}}}", c as u32) };
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_literals() {
        assert_eq!(java("c1"), r#""c1""#);
        assert_eq!(java(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(java("a\nb\u{1}"), r#""a\nb\001""#);
        // A literal backslash-u from the input stays two characters.
        assert_eq!(java(r"\u000a"), r#""\\u000a""#);
        assert_eq!(java("주문"), r#""\uc8fc\ubb38""#);
        assert_eq!(java("😀"), r#""\ud83d\ude00""#);
        assert_eq!(java("\u{2028}"), r#""\u2028""#);
    }

    #[test]
    fn python_literals() {
        assert_eq!(python(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(python("a\nb\u{7f}"), r#""a\nb\x7f""#);
        assert_eq!(python("주문"), "\"주문\"");
        assert_eq!(python("\u{202e}x"), r#""\u202ex""#);
        assert_eq!(python("\u{1f600}"), r#""\U0001f600""#);
    }

    #[test]
    fn rust_literals() {
        assert_eq!(rust(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(rust("a\0b"), r#""a\u{0}b""#);
        assert_eq!(rust("주문"), "\"주문\"");
        assert_eq!(rust("\u{2066}"), r#""\u{2066}""#);
    }
}
