//! Bytes to text in the encodings Excel and phones actually write: UTF-8,
//! UTF-8 with a byte-order mark, UTF-16 with a mark (Excel's "Unicode
//! text"), and GB18030/GBK from Chinese Windows. Detected, or chosen by the
//! user; a file that is not valid in the encoding is refused with the line
//! of the first bad byte, never decoded into replacement characters.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

/// Text decoded from a file and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// The file started with a byte-order mark.
    pub bom: bool,
}

impl Decoded {
    /// The encoding's name as users know it ("UTF-8", "GB18030").
    pub fn label(&self) -> String {
        let name = name(self.encoding);
        if self.bom { format!("{name} (BOM)") } else { name }
    }
}

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not valid in the encoding (chosen or detected); `line` holds the
    /// first bad byte.
    Invalid { encoding: String, line: usize },
    /// Bytes that are no text at all (a spreadsheet, an image).
    Binary,
}

/// The user-facing name of an encoding (GBK is decoded as its superset).
pub fn name(e: &'static Encoding) -> String {
    if e == GBK || e == GB18030 {
        "GB18030".into()
    } else {
        e.name().to_string()
    }
}

/// An encoding by the names people type: `utf-8`, `gbk`, `gb2312`,
/// `gb18030`, `cp936`, `big5`, `windows-1252`, `latin1`, `utf-16` ...
/// `None` for an unknown name.
pub fn by_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase();
    let e = match l.as_str() {
        "utf8" | "utf-8-bom" | "utf8-bom" | "utf-8-sig" => UTF_8,
        "cp936" | "936" | "gb" | "gbk" | "gb2312" => GB18030,
        _ => Encoding::for_label(l.as_bytes())?,
    };
    // The GBK decoder is GB18030's; say so.
    Some(if e == GBK { GB18030 } else { e })
}

/// Decodes `bytes`: with `chosen` when given, otherwise by the byte-order
/// mark, then UTF-8 when valid, then the legacy encoding the bytes look
/// like (GB18030 for Chinese, windows-1252 for Latin text).
pub fn decode(bytes: &[u8], chosen: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    let (bom_encoding, bom_len) = match Encoding::for_bom(bytes) {
        Some((e, n)) => (Some(e), n),
        None => (None, 0),
    };
    let encoding = match (chosen, bom_encoding) {
        // A mark of the chosen encoding is skipped; another mark wins over
        // a wrong choice only for UTF-16, whose bytes cannot be anything else.
        (Some(c), Some(b)) if b != UTF_8 && c == UTF_8 => b,
        (Some(c), _) => c,
        (None, Some(b)) => b,
        (None, None) if std::str::from_utf8(bytes).is_ok() => UTF_8,
        (None, None) => guess(bytes),
    };
    let bom = bom_encoding == Some(encoding);
    let body = if bom { &bytes[bom_len..] } else { bytes };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(DecodeError::Invalid {
            encoding: name(encoding),
            line: first_bad_line(encoding, body),
        });
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        bom,
    })
}

/// The legacy encoding a non-UTF-8 file most likely uses.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(1 << 20)];
    det.feed(sample, sample.len() == bytes.len());
    let e = det.guess(None, chardetng::Utf8Detection::Deny);
    if e == GBK { GB18030 } else { e }
}

/// A binary file (xlsx, zip, image): a zip's signature, or NUL bytes
/// outside UTF-16 in numbers no text has. A stray NUL inside a field of a
/// text file (pasted from elsewhere) is kept as data, like any control
/// character.
fn looks_binary(bytes: &[u8]) -> bool {
    if matches!(Encoding::for_bom(bytes), Some((e, _)) if e != UTF_8) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = head.iter().filter(|b| **b == 0).count();
    head.starts_with(b"PK\x03\x04") || nuls * 32 > head.len()
}

/// The 1-based line holding the first byte `encoding` cannot decode.
fn first_bad_line(encoding: &'static Encoding, body: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(body.len() * 3 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(..) => out.matches('\n').count() + 1,
        _ => body[..read].iter().filter(|b| **b == b'\n').count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb(s: &str) -> Vec<u8> {
        GB18030.encode(s).0.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("姓名,电话\n张伟,138".as_bytes(), None).unwrap();
        assert_eq!((d.encoding, d.bom), (UTF_8, false));
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("姓名\n".as_bytes());
        let d = decode(&b, None).unwrap();
        assert_eq!(d.text, "姓名\n");
        assert!(d.bom);
        assert_eq!(d.label(), "UTF-8 (BOM)");
    }

    #[test]
    fn a_stray_nul_is_data_and_a_binary_file_is_refused() {
        let text = "姓名,备注\n张伟,nul\0byte\n李娜,ok\n";
        assert_eq!(decode(text.as_bytes(), None).unwrap().text, text);
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
        assert!(matches!(decode(png, None), Err(DecodeError::Binary)));
        assert!(matches!(
            decode(b"PK\x03\x04\x14\0\x06\0", None),
            Err(DecodeError::Binary)
        ));
    }

    #[test]
    fn gb18030_is_detected_from_chinese_text() {
        let src = "姓名,公司,电话\n张伟,深圳华强电子有限公司,13800138000\n李娜,北京华联商厦,13900139000\n";
        let d = decode(&gb(src), None).unwrap();
        assert_eq!(d.text, src);
        assert_eq!(name(d.encoding), "GB18030");
    }

    #[test]
    fn latin1_is_detected_from_western_text() {
        let src = "Name,Company\nJosé Müller,Café Zürich\nFrançois,Société Générale\n";
        let bytes = encoding_rs::WINDOWS_1252.encode(src).0.into_owned();
        assert_eq!(decode(&bytes, None).unwrap().text, src);
    }

    #[test]
    fn utf16_from_excel_unicode_text() {
        let mut b = vec![0xFF, 0xFE];
        for u in "姓名\t电话\r\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&b, None).unwrap();
        assert_eq!(d.text, "姓名\t电话\r\n");
        assert_eq!(d.encoding, encoding_rs::UTF_16LE);
    }

    #[test]
    fn a_chosen_encoding_is_used_and_checked() {
        let bytes = gb("张伟\n");
        assert_eq!(decode(&bytes, by_label("gbk")).unwrap().text, "张伟\n");
        let err = decode(&[b'a', b'\n', b'b', 0xFF, b'\n'], Some(UTF_8)).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Invalid {
                encoding: "UTF-8".into(),
                line: 2
            }
        );
    }

    #[test]
    fn labels() {
        assert_eq!(by_label("GB2312"), Some(GB18030));
        assert_eq!(by_label("utf8"), Some(UTF_8));
        assert_eq!(by_label("latin1"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(by_label("klingon"), None);
    }

    #[test]
    fn spreadsheets_are_not_text() {
        assert_eq!(decode(b"PK\x03\x04rest", None), Err(DecodeError::Binary));
        assert_eq!(decode(b"a\0b", None), Err(DecodeError::Binary));
    }
}
