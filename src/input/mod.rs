//! Reading what users give us: bytes that may not be UTF-8, from files or standard input.

use std::io::{self, BufRead, Read};

/// Decode bytes as UTF-8, replacing invalid sequences; the flag says whether any were replaced,
/// so the caller can warn once instead of silently changing the text.
pub fn decode_lossy(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(err) => (String::from_utf8_lossy(err.as_bytes()).into_owned(), true),
    }
}

/// Read all of a reader as text, lossily.
pub fn read_all_lossy(mut reader: impl Read) -> io::Result<(String, bool)> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    Ok(decode_lossy(bytes))
}

/// Call `each` with every line (without its line ending) and its 1-based number, decoding
/// lossily; returns whether any line had invalid UTF-8. Stops early when `each` fails.
pub fn for_each_line<R: BufRead, E: From<io::Error>>(
    mut reader: R,
    mut each: impl FnMut(usize, &str) -> Result<(), E>,
) -> Result<bool, E> {
    let mut buffer = Vec::new();
    let mut number = 0;
    let mut lossy = false;
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer)? == 0 {
            return Ok(lossy);
        }
        number += 1;
        let line = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match std::str::from_utf8(line) {
            Ok(text) => each(number, text)?,
            Err(_) => {
                lossy = true;
                each(number, &String::from_utf8_lossy(line))?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        let (text, lossy) = decode_lossy(b"sdk \xff docs".to_vec());
        assert!(lossy);
        assert_eq!(text, "sdk \u{fffd} docs");
    }

    #[test]
    fn lines_are_numbered_and_stripped() {
        let mut seen = Vec::new();
        let lossy = for_each_line::<_, io::Error>(&b"one\r\ntwo\n\xffthree"[..], |n, line| {
            seen.push((n, line.to_owned()));
            Ok(())
        })
        .unwrap();
        assert!(lossy);
        assert_eq!(seen, [(1, "one".into()), (2, "two".into()), (3, "\u{fffd}three".into())]);
    }
}
