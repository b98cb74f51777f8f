//! Decoding source files and mapping byte offsets to lines and columns.
//!
//! Legacy repositories hold GBK and Latin-1 files beside UTF-8 ones. Every
//! encoding we accept keeps ASCII (and so newlines, quotes and comment
//! markers) where it was, so line numbers stay right after decoding.

use std::borrow::Cow;

/// A decoded file with its line index.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: String,
    /// The encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// Whether the bytes started with a UTF-8 byte-order mark.
    pub bom: bool,
    /// Whether the file ends its lines with a carriage return alone (as
    /// classic Mac OS editors wrote): the text has `\n` in their place,
    /// the same line terminator to Java and one tree-sitter's grammar
    /// ends a `//` comment at; [`Self::encode_like`] writes them back.
    pub cr_lines: bool,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Decodes bytes as UTF-8 (a BOM is dropped), else GBK when the bytes
    /// look like GBK, else windows-1252 (which maps every byte).
    pub fn decode(bytes: &[u8]) -> SourceText {
        // UTF-16 says so with its byte-order mark (Windows editors write it).
        for (mark, encoding, name) in [
            (b"\xFF\xFE", encoding_rs::UTF_16LE, "UTF-16LE"),
            (b"\xFE\xFF", encoding_rs::UTF_16BE, "UTF-16BE"),
        ] {
            if let Some(rest) = bytes.strip_prefix(mark) {
                let (text, _) = encoding.decode_without_bom_handling(rest);
                return SourceText::from_string(text.into_owned(), name);
            }
        }
        let stripped = bytes.strip_prefix(b"\xEF\xBB\xBF");
        let bom = stripped.is_some();
        let bytes = stripped.unwrap_or(bytes);
        let (text, encoding) = match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_owned(), "UTF-8"),
            Err(_) => decode_legacy(bytes),
        };
        let mut s = SourceText::from_string(text, encoding);
        s.bom = bom;
        s
    }

    /// [`Self::decode`], taking the bytes: UTF-8 with no mark keeps its
    /// buffer (most files; the copy cost a cold scan about 1 %).
    pub fn decode_owned(bytes: Vec<u8>) -> SourceText {
        let marked = [&b"\xFF\xFE"[..], b"\xFE\xFF", b"\xEF\xBB\xBF"]
            .iter()
            .any(|mark| bytes.starts_with(mark));
        if marked {
            return SourceText::decode(&bytes);
        }
        match String::from_utf8(bytes) {
            Ok(text) => SourceText::from_string(text, "UTF-8"),
            Err(not_utf8) => SourceText::decode(not_utf8.as_bytes()),
        }
    }

    /// Encodes a (changed) text back the way this file was stored: same
    /// encoding, same byte-order mark.
    pub fn encode_like(&self, text: &str) -> Vec<u8> {
        let returns;
        let text = if self.cr_lines {
            returns = text.replace('\n', "\r");
            returns.as_str()
        } else {
            text
        };
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        match self.encoding {
            // encoding_rs encodes only to ASCII-compatible encodings.
            "UTF-16LE" => {
                out.extend_from_slice(b"\xFF\xFE");
                out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            }
            "UTF-16BE" => {
                out.extend_from_slice(b"\xFE\xFF");
                out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            }
            "GBK" => out.extend_from_slice(&encoding_rs::GBK.encode(text).0),
            "windows-1252" => out.extend_from_slice(&encoding_rs::WINDOWS_1252.encode(text).0),
            _ => out.extend_from_slice(text.as_bytes()),
        }
        out
    }

    pub fn from_string(mut text: String, encoding: &'static str) -> SourceText {
        // A carriage return is one byte, as a line feed is: offsets stay.
        let cr_lines = ends_lines_with_cr(text.as_bytes());
        if cr_lines {
            text = text.replace('\r', "\n");
        }
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text.as_bytes()));
        SourceText {
            text,
            encoding,
            bom: false,
            cr_lines,
            line_starts,
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: usize) -> &str {
        if line == 0 || line > self.line_starts.len() {
            return "";
        }
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.text
            .get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    pub fn line_count(&self) -> usize {
        if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }
}

/// Whether a text ends its lines with a carriage return alone: it has
/// some and no line feed.
pub(crate) fn ends_lines_with_cr(bytes: &[u8]) -> bool {
    memchr::memchr(b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_some()
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

fn decode_legacy(bytes: &[u8]) -> (String, &'static str) {
    if looks_like_gbk(bytes) {
        if let Some(s) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)
        {
            return (s.into_owned(), "GBK");
        }
    }
    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    (Cow::into_owned(s), "windows-1252")
}

/// GBK text is made of pairs of high bytes (GB2312 uses 0xA1–0xFE for both);
/// Latin-1 text has lone high bytes between ASCII letters. Lone ones mean
/// the file is not GBK even if the GBK decoder would accept it.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let (mut pairs, mut lone) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] >= 0x81 {
            match bytes.get(i + 1) {
                Some(&t) if t >= 0x80 => pairs += 1,
                _ => lone += 1,
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    pairs > 0 && lone * 10 <= pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_owned_bytes_gives_what_decoding_borrowed_ones_gives() {
        let gbk = encoding_rs::GBK.encode("// 中文\nint x;\n").0.into_owned();
        for bytes in [
            b"class A {}\n".to_vec(),
            b"\xEF\xBB\xBFa\r\nb\r\n".to_vec(),
            b"\xFF\xFEa\x00\n\x00".to_vec(),
            b"// Gr\xf6\xdfe\n".to_vec(),
            gbk,
            Vec::new(),
        ] {
            let borrowed = SourceText::decode(&bytes);
            let owned = SourceText::decode_owned(bytes);
            assert_eq!(
                (owned.text, owned.encoding, owned.bom, owned.line_starts),
                (
                    borrowed.text,
                    borrowed.encoding,
                    borrowed.bom,
                    borrowed.line_starts
                )
            );
        }
    }

    #[test]
    fn utf8_line_and_column_count_characters() {
        let s = SourceText::decode("ab\n// 中文 x\n".as_bytes());
        assert_eq!(s.encoding, "UTF-8");
        let x = s.text.find('x').unwrap();
        assert_eq!(s.line_col(x), (2, 7));
        assert_eq!(s.line(2), "// 中文 x");
        assert_eq!(s.line_count(), 2);
    }

    #[test]
    fn gbk_is_detected_and_lines_kept() {
        let (bytes, _, _) = encoding_rs::GBK.encode("// 订单服务\nString s = \"你好\";\n");
        let s = SourceText::decode(&bytes);
        assert_eq!(s.encoding, "GBK");
        assert_eq!(s.line(1), "// 订单服务");
        assert_eq!(s.line(2), "String s = \"你好\";");
    }

    #[test]
    fn utf16_with_its_mark_is_decoded_and_written_back_the_same() {
        let text = "// 订单\nString ip = \"10.1.2.3\";\n";
        let le: Vec<u8> = b"\xFF\xFE"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = b"\xFE\xFF"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let s = SourceText::decode(&bytes);
            assert_eq!(s.encoding, name);
            assert_eq!(s.line(2), "String ip = \"10.1.2.3\";");
            assert_eq!(s.encode_like(&s.text), bytes, "{name}");
        }
    }

    #[test]
    fn lines_ended_by_a_carriage_return_alone_are_lines_and_written_back_so() {
        let bytes = b"// order service\rclass A { String ip = \"10.1.2.3\"; }\r";
        let s = SourceText::decode(bytes);
        assert!(s.cr_lines);
        assert_eq!(s.line_count(), 2);
        assert_eq!(s.line(2), "class A { String ip = \"10.1.2.3\"; }");
        let at = s.text.find("10.").unwrap();
        assert_eq!(&bytes[at..at + 3], b"10.", "offsets are the bytes'");
        assert_eq!(s.encode_like(&s.text), bytes);
        // Carriage returns beside line feeds end nothing of their own.
        let windows = SourceText::decode(b"a\r\nb\r\n");
        assert!(!windows.cr_lines);
        assert_eq!(windows.line(1), "a");
    }

    #[test]
    fn latin1_is_not_taken_for_gbk() {
        let s = SourceText::decode(b"// Gr\xf6\xdfe und M\xe4rz\nint x;\n");
        assert_eq!(s.encoding, "windows-1252");
        assert_eq!(s.line(1), "// Größe und März");
        assert_eq!(s.line(2), "int x;");
    }

    #[test]
    fn encoding_round_trips() {
        for bytes in [
            "\u{feff}<a>中文</a>\r\n".as_bytes().to_vec(),
            encoding_rs::GBK.encode("<a>订单</a>\n").0.into_owned(),
            b"<a>Gr\xf6\xdfe M\xe4rz</a>".to_vec(),
        ] {
            let s = SourceText::decode(&bytes);
            assert_eq!(s.encode_like(&s.text), bytes, "{}", s.encoding);
        }
    }

    #[test]
    fn crlf_lines_are_trimmed_and_bom_dropped() {
        let s = SourceText::decode(b"\xEF\xBB\xBFa\r\nb\r\n");
        assert_eq!(s.line(1), "a");
        assert_eq!(s.line(2), "b");
        assert_eq!(s.line(3), "");
    }
}
