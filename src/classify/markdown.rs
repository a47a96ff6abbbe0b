//! Markdown noise that must not vote: fenced and indented code blocks (logs, stack traces,
//! config dumps) and HTML comments (template instructions). Noise is blanked with spaces, byte
//! for byte, so offsets into the masked text are offsets into the original.

use std::borrow::Cow;

/// `text` with code blocks and HTML comments replaced by spaces (newlines kept).
/// Borrows when there is nothing to hide, which is the common case.
pub fn mask_noise(text: &str) -> Cow<'_, str> {
    if !might_have_noise(text) {
        return Cow::Borrowed(text);
    }
    let mut ranges = Vec::new();
    code_block_ranges(text, &mut ranges);
    let comments = comment_ranges(text, &ranges);
    ranges.extend(comments);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for (start, end) in ranges {
        for byte in &mut bytes[start..end] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Every range starts and ends on an ASCII delimiter or a line boundary, so whole characters
    // were replaced by ASCII spaces and the bytes are still UTF-8.
    match String::from_utf8(bytes) {
        Ok(masked) => Cow::Owned(masked),
        Err(_) => Cow::Borrowed(text),
    }
}

/// What starts noise: fences, comments, and indented lines after the first.
const NOISE_MARKERS: [&str; 5] = ["```", "~~~", "<!--", "\n    ", "\n\t"];

/// Whether any marker of noise occurs (run on every request part, so it must be cheap): memchr
/// finds the bytes the markers start with, most request parts have few of them. An Aho-Corasick
/// search took 2,400 instructions on a typical 150-byte part, most of it per call.
fn might_have_noise(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.starts_with(b"    ") || bytes.starts_with(b"\t") {
        return true;
    }
    let marker_at = |at: usize| NOISE_MARKERS.iter().any(|marker| bytes[at..].starts_with(marker.as_bytes()));
    memchr::memchr3_iter(b'`', b'~', b'<', bytes).any(marker_at)
        || memchr::memchr_iter(b'\n', bytes).any(marker_at)
}

/// Lines of `text` with their byte offsets (the line excludes its `\n`).
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.strip_suffix('\n').unwrap_or(line))
    })
}

fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

/// A fence opener's character and length, when `line` opens (or closes) a fence.
fn fence(line: &str) -> Option<(char, usize)> {
    if indent_width(line) > 3 {
        return None;
    }
    let rest = line.trim_start();
    let marker = rest.chars().next().filter(|&c| c == '`' || c == '~')?;
    let length = rest.chars().take_while(|&c| c == marker).count();
    (length >= 3).then_some((marker, length))
}

fn is_list_item(line: &str) -> bool {
    let rest = line.trim_start();
    let bullet = rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ ");
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let ordered = digits > 0 && (rest[digits..].starts_with(". ") || rest[digits..].starts_with(") "));
    bullet || ordered
}

/// Fenced blocks (to the closing fence or the end) and indented blocks (after a blank line,
/// outside lists), following CommonMark closely enough for issue bodies.
fn code_block_ranges(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let mut open_fence: Option<(char, usize, usize)> = None;
    let mut previous_blank = true;
    let mut in_list = false;
    let mut in_indented = false;
    for (start, line) in lines_with_offsets(text) {
        let end = start + line.len();
        if let Some((marker, length, fence_start)) = open_fence {
            let closes = fence(line).is_some_and(|(m, l)| m == marker && l >= length)
                && line.trim_start().trim_start_matches(marker).trim().is_empty();
            if closes {
                ranges.push((fence_start, end));
                open_fence = None;
                previous_blank = false;
            }
            continue;
        }
        let blank = line.trim().is_empty();
        if let Some((marker, length)) = fence(line) {
            // A backtick fence's info string may not contain backticks.
            let info = line.trim_start().trim_start_matches(marker);
            if marker == '~' || !info.contains('`') {
                open_fence = Some((marker, length, start));
                in_indented = false;
                continue;
            }
        }
        if blank {
            previous_blank = true;
            continue;
        }
        let indented = indent_width(line) >= 4;
        if indented && !in_list && (previous_blank || in_indented) {
            in_indented = true;
            ranges.push((start, end));
        } else {
            in_indented = false;
            if is_list_item(line) {
                in_list = true;
            } else if !indented {
                in_list = false;
            }
        }
        previous_blank = false;
    }
    if let Some((_, _, fence_start)) = open_fence {
        ranges.push((fence_start, text.len()));
    }
}

/// HTML comments outside code blocks; an unclosed comment hides the rest, as GitHub renders it.
/// `code` is sorted and non-overlapping, so the block around a marker is found by binary search
/// (a linear search made bodies with many code blocks and comments quadratic).
fn comment_ranges(text: &str, code: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("<!--") {
        let start = from + found;
        let after = code.partition_point(|&(s, _)| s <= start);
        let around = after.checked_sub(1).map(|index| code[index]).filter(|&(_, e)| start < e);
        if let Some((_, code_end)) = around {
            from = code_end;
            continue;
        }
        let end = text[start + 4..].find("-->").map_or(text.len(), |p| start + 4 + p + 3);
        ranges.push((start, end));
        from = end;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_marker_check_agrees_with_searching_each_marker(text in "[a`~<!\\- \n\t]{0,30}") {
            let expected = text.starts_with("    ")
                || text.starts_with('\t')
                || NOISE_MARKERS.iter().any(|marker| text.contains(marker));
            proptest::prop_assert_eq!(might_have_noise(&text), expected);
        }
    }

    #[test]
    fn blanks_fenced_code_keeping_offsets() {
        let text = "Docs question\n```\nerror: sdk crashed\n```\nthanks";
        let masked = mask_noise(text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("error"));
        assert!(masked.contains("Docs question") && masked.ends_with("thanks"));
    }

    #[test]
    fn unclosed_fence_runs_to_the_end() {
        let masked = mask_noise("intro\n~~~\nlog line\nmore log");
        assert!(masked.starts_with("intro") && !masked.contains("log"));
    }

    #[test]
    fn blanks_html_comments_even_unclosed() {
        assert_eq!(mask_noise("a <!-- hidden --> b").trim_end(), "a                 b");
        assert!(!mask_noise("a <!-- never closed\nmore").contains("more"));
    }

    #[test]
    fn blanks_indented_code_after_blank_line_only() {
        let text = "Stack trace:\n\n    at main.rs:10\n    at lib.rs:2\nafter";
        let masked = mask_noise(text);
        assert!(!masked.contains("main.rs") && !masked.contains("lib.rs"));
        assert!(masked.contains("after"));
        // A continuation line of a paragraph is not code.
        assert!(mask_noise("para\n    continued").contains("continued"));
    }

    #[test]
    fn keeps_indented_list_continuations() {
        let text = "- step one\n\n    details of step one";
        assert!(mask_noise(text).contains("details"));
    }

    #[test]
    fn comment_markers_inside_code_are_code() {
        let text = "```\n<!-- in code\n```\nvisible -->";
        assert!(mask_noise(text).contains("visible"));
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(mask_noise("no markdown here"), Cow::Borrowed(_)));
    }
}
