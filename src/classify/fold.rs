//! Case folding and whitespace collapsing with a map back to the original byte offsets, so that
//! one case-sensitive automaton can match keywords case-insensitively (Unicode included) and
//! across any run of whitespace, while spans still point into the text the user gave.

/// Folded text: lowercased, each whitespace run collapsed to one space.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub text: String,
    /// `(folded offset, original offset)` pairs where the two stop advancing in step; between
    /// two entries, offsets advance together. Empty for lowercase text with single spaces.
    segments: Vec<(usize, usize)>,
    original_len: usize,
}

impl Folded {
    /// Refill this buffer with the folded form of `source`, reusing its allocations.
    pub fn fold(&mut self, source: &str) {
        self.text.clear();
        self.segments.clear();
        self.original_len = source.len();
        self.text.reserve(source.len());
        let bytes = source.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Fast path: a run of printable ASCII that folds byte for byte, copied and lowercased
            // at once. A single space before a printable byte stays in the run; other whitespace,
            // control and non-ASCII bytes end it and go through the slow path below.
            let run_start = i;
            while i < bytes.len() {
                // Printable ASCII and DEL (0x21..=0x7f): neither whitespace nor multi-byte.
                if bytes[i].wrapping_sub(0x21) < 0x5f {
                    i += 1;
                } else if bytes[i] == b' ' && bytes.get(i + 1).is_some_and(|n| n.wrapping_sub(0x21) < 0x5f) {
                    i += 2;
                } else {
                    break;
                }
            }
            if i > run_start {
                let before = self.text.len();
                self.text.push_str(&source[run_start..i]);
                self.text[before..].make_ascii_lowercase();
                continue;
            }
            let Some(c) = source[i..].chars().next() else { break };
            if c.is_whitespace() {
                let start = i;
                i += c.len_utf8();
                while let Some(next) = source[i..].chars().next().filter(|c| c.is_whitespace()) {
                    i += next.len_utf8();
                }
                self.text.push(' ');
                if i - start != 1 {
                    self.segments.push((self.text.len(), i));
                }
            } else {
                let before = self.text.len();
                self.text.extend(c.to_lowercase());
                i += c.len_utf8();
                if self.text.len() - before != c.len_utf8() {
                    self.segments.push((self.text.len(), i));
                }
            }
        }
    }

    /// The original byte offset of a folded offset.
    pub fn original(&self, folded: usize) -> usize {
        let index = self.segments.partition_point(|&(f, _)| f <= folded);
        let (f, o) = if index == 0 { (0, 0) } else { self.segments[index - 1] };
        (o + (folded - f)).min(self.original_len)
    }
}

/// Is `c` part of a word, for whole-word matching?
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(source: &str) -> Folded {
        let mut folded = Folded::default();
        folded.fold(source);
        folded
    }

    #[test]
    fn lowercases_unicode_and_collapses_whitespace() {
        let folded = fold("ÉVÉNEMENT  à\n\tParis");
        assert_eq!(folded.text, "événement à paris");
    }

    #[test]
    fn maps_offsets_back_across_collapsed_whitespace() {
        let source = "How   do\n\nI";
        let folded = fold(source);
        assert_eq!(folded.text, "how do i");
        let start = folded.text.find("do").unwrap();
        assert_eq!(&source[folded.original(start)..folded.original(start + 2)], "do");
        let i = folded.text.find('i').unwrap();
        assert_eq!(&source[folded.original(i)..folded.original(i + 1)], "I");
    }

    #[test]
    fn maps_offsets_back_when_lowercase_changes_length() {
        // 'İ' (2 bytes) lowercases to "i̇" (3 bytes).
        let source = "İstanbul meetup";
        let folded = fold(source);
        let start = folded.text.find("meetup").unwrap();
        assert_eq!(&source[folded.original(start)..folded.original(start + 6)], "meetup");
    }

    #[test]
    fn fast_and_slow_paths_agree_on_spaces_next_to_unicode() {
        let source = "A \u{a0} B  c é D\tE é";
        let folded = fold(source);
        assert_eq!(folded.text, "a b c é d e é");
        let d = folded.text.find('d').unwrap();
        assert_eq!(&source[folded.original(d)..folded.original(d + 1)], "D");
        let last = folded.text.rfind('é').unwrap();
        assert_eq!(&source[folded.original(last)..], "é");
    }

    #[test]
    fn plain_lowercase_text_needs_no_segments() {
        let folded = fold("how do i install the sdk");
        assert!(folded.segments.is_empty());
        assert_eq!(folded.original(4), 4);
    }
}
