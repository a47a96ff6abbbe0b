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

/// A reader that stays at its end once it got there. A terminal ends input once per Ctrl-D and
/// then reads on, so a parser that asks for more after the end would wait for another Ctrl-D.
#[derive(Debug)]
pub struct EndOnce<R> {
    inner: R,
    ended: bool,
}

impl<R> EndOnce<R> {
    pub fn new(inner: R) -> EndOnce<R> {
        EndOnce { inner, ended: false }
    }
}

impl<R: Read> Read for EndOnce<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ended || buf.is_empty() {
            return Ok(0);
        }
        let read = self.inner.read(buf)?;
        self.ended = read == 0;
        Ok(read)
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

    /// Reads like a terminal: each chunk, then an end of input after each (one per Ctrl-D).
    struct Terminal(Vec<&'static [u8]>, bool);

    impl Read for Terminal {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.1 = !self.1;
            if !self.1 || self.0.is_empty() {
                return Ok(0);
            }
            let chunk = self.0.remove(0);
            buf[..chunk.len()].copy_from_slice(chunk);
            Ok(chunk.len())
        }
    }

    #[test]
    fn the_first_end_of_input_is_the_last() {
        let mut terminal = Terminal(vec![b"a,b\n", b"after the end\n"], false);
        let mut bytes = Vec::new();
        assert_eq!(terminal.read_to_end(&mut bytes).unwrap(), 4);
        assert_eq!(terminal.read_to_end(&mut bytes).unwrap(), 14, "a terminal reads on after an end");

        let mut reader = EndOnce::new(Terminal(vec![b"a,b\n", b"after the end\n"], false));
        let mut bytes = Vec::new();
        assert_eq!(reader.read_to_end(&mut bytes).unwrap(), 4);
        assert_eq!(reader.read_to_end(&mut bytes).unwrap(), 0);
        assert_eq!(bytes, b"a,b\n");
    }
}
