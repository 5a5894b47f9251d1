//! Base64 (RFC 4648 section 4, the standard alphabet) for `.b64` message files.

use crate::InputError;

/// Decodes base64 text: whitespace anywhere (line breaks) is skipped, the `=` padding is
/// optional but only at the end. An octet outside the alphabet, or a dangling sixth bit group,
/// is an [`InputError::Base64`] at its offset in the text.
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, InputError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits, mut digits) = (0u32, 0u32, 0usize);
    let mut padding_at = None;
    let mut last = 0;
    for (at, &c) in text.iter().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            padding_at.get_or_insert(at);
            continue;
        }
        let Some(v) = sextet(c) else {
            return Err(InputError::Base64 { offset: at });
        };
        if let Some(at) = padding_at {
            // Data after the padding.
            return Err(InputError::Base64 { offset: at });
        }
        acc = ((acc << 6) | u32::from(v)) & 0xffff;
        bits += 6;
        digits += 1;
        last = at;
        if bits >= 8 {
            bits -= 8;
            let [_, _, _, octet] = (acc >> bits).to_be_bytes();
            out.push(octet);
        }
    }
    // One digit of a group of four carries 6 bits: not even one octet.
    if digits % 4 == 1 {
        return Err(InputError::Base64 { offset: last });
    }
    Ok(out)
}

fn sextet(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 section 10 test vectors.
    #[test]
    fn rfc4648_vectors() {
        for (text, plain) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(decode(text.as_bytes()).unwrap(), plain.as_bytes(), "{text}");
        }
    }

    #[test]
    fn whitespace_and_missing_padding() {
        assert_eq!(decode(b"Zm9v\nYmE\r\n").unwrap(), b"fooba");
        assert_eq!(decode(b"  Zg  ").unwrap(), b"f");
        // Every octet value.
        let all: Vec<u8> = (0..=255).collect();
        let text = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==";
        assert_eq!(decode(text.as_bytes()).unwrap(), all);
    }

    #[test]
    fn errors_name_the_offset() {
        assert!(matches!(
            decode(b"Zm9v!"),
            Err(InputError::Base64 { offset: 4 })
        ));
        assert!(matches!(
            decode(b"Zg==Zg=="),
            Err(InputError::Base64 { offset: 2 })
        ));
        assert!(matches!(
            decode(b"Zm9vY"),
            Err(InputError::Base64 { offset: 4 })
        ));
    }
}
