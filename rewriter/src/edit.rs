//! Splicing new text into byte ranges of an original, leaving every other
//! byte as it was.

use std::ops::Range;

/// Replace `span` of the original with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Range<usize>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("edits at bytes {0:?} and {1:?} overlap")]
    Overlap(Range<usize>, Range<usize>),
    #[error("edit at bytes {0:?} is outside the text or splits a character")]
    OutOfBounds(Range<usize>),
}

/// Applies non-overlapping edits (in any order) to `original`.
pub fn apply(original: &str, edits: &[TextEdit]) -> Result<String, EditError> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    for pair in sorted.windows(2) {
        if pair[1].span.start < pair[0].span.end {
            return Err(EditError::Overlap(
                pair[0].span.clone(),
                pair[1].span.clone(),
            ));
        }
    }
    let mut out = String::with_capacity(original.len() + 64);
    let mut pos = 0;
    for e in sorted {
        let valid = e.span.start <= e.span.end
            && original.is_char_boundary(e.span.start)
            && original.is_char_boundary(e.span.end)
            && e.span.end <= original.len();
        if !valid {
            return Err(EditError::OutOfBounds(e.span.clone()));
        }
        out.push_str(&original[pos..e.span.start]);
        out.push_str(&e.text);
        pos = e.span.end;
    }
    out.push_str(&original[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(span: Range<usize>, text: &str) -> TextEdit {
        TextEdit {
            span,
            text: text.into(),
        }
    }

    #[test]
    fn splices_in_any_order() {
        let out = apply("a 1 b 2 c", &[edit(6..7, "20"), edit(2..3, "10")]).unwrap();
        assert_eq!(out, "a 10 b 20 c");
    }

    #[test]
    fn rejects_overlaps_and_bad_ranges() {
        assert!(matches!(
            apply("abcdef", &[edit(1..4, "x"), edit(3..5, "y")]),
            Err(EditError::Overlap(..))
        ));
        assert!(matches!(
            apply("ab", &[edit(1..9, "x")]),
            Err(EditError::OutOfBounds(..))
        ));
        assert!(matches!(
            apply("中", &[edit(1..2, "x")]),
            Err(EditError::OutOfBounds(..))
        ));
    }
}
