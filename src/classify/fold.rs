//! Case and accent folding and whitespace collapsing with a map back to the original byte offsets,
//! so that one case-sensitive automaton can match keywords case-insensitively (Unicode included),
//! with or without accents and across any run of whitespace, while spans still point into the
//! text the user gave. Also the word-boundary rule keywords obey, for every script.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folded text: lowercased, Latin letters without their diacritics (`é` -> `e`), full-width
/// ASCII as ASCII, each whitespace run collapsed to one space.
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
                push_folded(&mut self.text, c);
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

/// `source` folded as request text is, whitespace included: the form rule terms are matched in.
pub(crate) fn fold_str(source: &str) -> String {
    let mut folded = Folded::default();
    folded.fold(source);
    folded.text
}

/// Append the folded form of one character: lowercase; a Latin letter loses its diacritics (by
/// canonical decomposition: `é` -> `e`, `ǖ` -> `u`; a few letters that do not decompose by
/// table: `ß` -> `ss`, `ø` -> `o`); a combining diacritical mark (U+0300..U+036F, as typed in
/// decomposed text) is dropped; full-width ASCII (`ＡＰＩ`) becomes ASCII. Other scripts keep
/// their marks: a Japanese voicing mark changes the word (`ガ` is not `カ`).
pub(crate) fn push_folded(out: &mut String, c: char) {
    let c = match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    for lower in c.to_lowercase() {
        match u32::from(lower) {
            0x300..=0x36F => {}
            0xC0..=0x24F | 0x1E00..=0x1EFF => push_without_diacritics(out, lower),
            _ => out.push(lower),
        }
    }
}

fn push_without_diacritics(out: &mut String, c: char) {
    let spelled = match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => {
            let mut base = None;
            decompose_canonical(c, |part| {
                base.get_or_insert(part);
            });
            out.push(base.filter(char::is_ascii_alphabetic).unwrap_or(c));
            return;
        }
    };
    out.push_str(spelled);
}

/// Is `c` part of a word, for whole-word matching? Letters, digits, `_` and combining marks.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    is_caseless_letter(c) || c.is_alphanumeric() || is_combining_mark(c)
}

/// A letter of the caseless scripts rule terms use most (kana, CJK ideographs, Hangul
/// syllables): it folds to itself and is a word character, known without a Unicode table lookup.
/// A third of the default rules' keywords are written in them.
pub(crate) fn is_caseless_letter(c: char) -> bool {
    matches!(u32::from(c), 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3)
}

/// The writing system of a word character, as far as word boundaries care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Digits, `_` and combining marks: part of a word in any script.
    Neutral,
    /// Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao,
    /// Khmer, Myanmar): every character may start or end a word.
    Unspaced,
    Latin,
    Greek,
    Cyrillic,
    Hangul,
    /// Any other script; a change between two of these is not seen.
    Other,
}

/// The script of a word character, by Unicode block (cheap: ASCII is decided first).
pub(crate) fn script(c: char) -> Script {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() { Script::Latin } else { Script::Neutral };
    }
    match u32::from(c) {
        0xC0..=0x24F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xFF21..=0xFF5A => Script::Latin,
        0x300..=0x36F | 0x3099..=0x309A => Script::Neutral,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF => Script::Hangul,
        0xE00..=0xEFF
        | 0x1000..=0x109F
        | 0x1780..=0x17FF
        | 0x2E80..=0x2FDF
        | 0x3005..=0x3007
        | 0x3021..=0x3029
        | 0x3031..=0x3035
        | 0x3038..=0x303C
        | 0x3040..=0x30FF
        | 0x3100..=0x312F
        | 0x31A0..=0x31BF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3FFFF => Script::Unspaced,
        _ if c.is_numeric() => Script::Neutral,
        _ => Script::Other,
    }
}

/// Is there a word boundary between `before` and `after` (`None`: the start or end of the
/// text)? Yes when either is not a word character, when either is written without spaces
/// (a Han, Kana, Thai ... character starts and ends a word anywhere), and when the script
/// changes between two letters (`api` in `APIキー`, `sdk` in `SDKを`, `api` in `APIключ`).
/// Digits belong to the letters beside them (`sdk` does not match in `sdk2`).
pub(crate) fn is_boundary(before: Option<char>, after: Option<char>) -> bool {
    let (Some(before), Some(after)) = (before, after) else { return true };
    if !is_word_char(before) || !is_word_char(after) {
        return true;
    }
    let (a, b) = (script(before), script(after));
    if a == Script::Unspaced || b == Script::Unspaced {
        return true;
    }
    a != b && a != Script::Neutral && b != Script::Neutral
}

/// The end of the word that starts before `from` in `text`: how far a prefix keyword's match
/// (`invoic*` -> `invoices`) extends.
pub(crate) fn word_end(text: &str, from: usize) -> usize {
    let mut previous = text[..from].chars().next_back();
    for (offset, c) in text[from..].char_indices() {
        if is_boundary(previous, Some(c)) {
            return from + offset;
        }
        previous = Some(c);
    }
    text.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn caseless_letters_fold_to_themselves_and_are_word_characters() {
        let ranges = [0x3041..=0x3096, 0x30A1..=0x30FA, 0x4E00..=0x9FFF, 0xAC00..=0xD7A3];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            assert!(super::is_caseless_letter(c));
            assert_eq!(super::fold_str(c.encode_utf8(&mut [0; 4])), c.to_string(), "{c:?}");
            assert!(c.is_alphanumeric(), "{c:?} is a word character by the Unicode tables too");
        }
        assert!(
            !super::is_caseless_letter('a')
                && !super::is_caseless_letter('É')
                && !super::is_caseless_letter('・')
        );
    }

    use super::*;

    fn fold(source: &str) -> Folded {
        let mut folded = Folded::default();
        folded.fold(source);
        folded
    }

    #[test]
    fn lowercases_unicode_and_collapses_whitespace() {
        let folded = fold("ÉVÉNEMENT  à\n\tParis");
        assert_eq!(folded.text, "evenement a paris");
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
        assert_eq!(folded.text, "a b c e d e e");
        let d = folded.text.find('d').unwrap();
        assert_eq!(&source[folded.original(d)..folded.original(d + 1)], "D");
        let last = folded.text.rfind('e').unwrap();
        assert_eq!(&source[folded.original(last)..], "é");
    }

    #[test]
    fn plain_lowercase_text_needs_no_segments() {
        let folded = fold("how do i install the sdk");
        assert!(folded.segments.is_empty());
        assert_eq!(folded.original(4), 4);
    }

    #[test]
    fn latin_letters_lose_their_diacritics_in_every_language() {
        let folded = fold("Instalación ÇA São Größe ĐÀO Łódź Ærø Ǖ");
        assert_eq!(folded.text, "instalacion ca sao grosse dao lodz aero u");
    }

    #[test]
    fn decomposed_accents_are_dropped_and_spans_keep_them() {
        // "café" typed as `e` + U+0301 COMBINING ACUTE ACCENT.
        let source = "Cafe\u{301} meetup";
        let folded = fold(source);
        assert_eq!(folded.text, "cafe meetup");
        assert_eq!(&source[folded.original(0)..folded.original(4)], "Cafe\u{301}");
        let meetup = folded.text.find("meetup").unwrap();
        assert_eq!(&source[folded.original(meetup)..folded.original(meetup + 6)], "meetup");
    }

    #[test]
    fn accents_map_back_to_the_accented_letters() {
        let source = "Événement à São Paulo";
        let folded = fold(source);
        let sao = folded.text.find("sao").unwrap();
        assert_eq!(&source[folded.original(sao)..folded.original(sao + 3)], "São");
        assert_eq!(&source[folded.original(0)..folded.original(9)], "Événement");
    }

    #[test]
    fn other_scripts_keep_their_marks_and_full_width_latin_becomes_ascii() {
        assert_eq!(fold("ガイド ПРИВЕТ Ωμέγα").text, "ガイド привет ωμέγα");
        assert_eq!(fold("ＡＰＩキー").text, "apiキー");
    }

    #[test]
    fn fold_str_is_the_term_form() {
        assert_eq!(fold_str("Événement   Café"), "evenement cafe");
    }

    #[test]
    fn script_changes_between_letters_are_word_boundaries() {
        let b = |a: char, z: char| is_boundary(Some(a), Some(z));
        assert!(b('i', 'キ'), "Latin then Katakana");
        assert!(b('用', 'a'), "Han then Latin");
        assert!(b('k', 'を'), "Latin then Hiragana");
        assert!(b('i', 'к'), "Latin then Cyrillic");
        assert!(b('i', '키'), "Latin then Hangul");
        assert!(b('α', 'a'), "Greek then Latin");
        assert!(b('i', 'ก'), "Latin then Thai");
        assert!(!b('a', 'p'), "inside a Latin word");
        assert!(!b('e', 'é'), "accented letters are Latin");
        assert!(!b('и', 'к'), "inside a Cyrillic word");
        assert!(!b('문', '서'), "inside a Hangul word");
        assert!(!b('k', '2'), "digits belong to the word");
        assert!(!b('_', 'x'));
        assert!(b(' ', 'x') && b('x', '-'));
        assert!(is_boundary(None, Some('a')) && is_boundary(Some('a'), None));
    }

    #[test]
    fn unspaced_scripts_have_a_boundary_between_every_two_characters() {
        let b = |a: char, z: char| is_boundary(Some(a), Some(z));
        assert!(b('调', '用'), "Han");
        assert!(b('の', 'を'), "Hiragana");
        assert!(b('キ', 'ー'), "Katakana and its length mark");
        assert!(b('3', '分'), "a digit before Han");
        assert!(b('ก', 'ข'), "Thai");
    }

    #[test]
    fn a_prefix_match_extends_to_the_end_of_its_word_in_its_script() {
        assert_eq!(word_end("invoices, please", 6), 8);
        assert_eq!(word_end("APIキー", 2), 3);
        assert_eq!(word_end("instalación falla", 6), "instalación".len());
    }
}
