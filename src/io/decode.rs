//! Bytes to text in the encodings Excel and phones actually write: UTF-8,
//! UTF-8 with a byte-order mark, UTF-16 with a mark (Excel's "Unicode
//! text"), and GB18030/GBK from Chinese Windows. Detected, or chosen by the
//! user; a file that is not valid in the encoding is refused with the line
//! of the first bad byte, never decoded into replacement characters. A
//! guess is only made on evidence: a file that is UTF-8 but for a few lines
//! is refused as mixed, and one whose encoding cannot be told is refused
//! rather than read as mojibake.

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
    /// UTF-8 but for some lines (one pasted from a GBK file): `line` is the
    /// first that is not UTF-8.
    Mixed { line: usize },
    /// Too little text to tell the encoding, and not Chinese in GB18030.
    Unsure,
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
/// like (see [`guess`]).
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
        (None, None) => guess(bytes)?,
    };
    let bom = bom_encoding == Some(encoding);
    let body = if bom { &bytes[bom_len..] } else { bytes };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        if chosen.is_none() && encoding == UTF_8 {
            // A UTF-8 mark, then lines that are not UTF-8.
            return Err(DecodeError::Mixed {
                line: first_bad_line(UTF_8, body),
            });
        }
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

/// Non-ASCII bytes the detector needs before its guess is trusted: fewer
/// and it reads "Müller" as Central European or "李娜" as EUC-JP.
const EVIDENCE: usize = 8;

/// Non-ASCII bytes before the detector may overrule GB18030 with another
/// East Asian encoding (Big5, Shift_JIS): short Chinese files are guessed
/// EUC-JP or EUC-KR now and then, never past a few dozen bytes.
const FIRM_EVIDENCE: usize = 64;

/// The legacy encoding of a file that is not UTF-8, on evidence only:
/// a file that is UTF-8 but for some lines is mixed, not another encoding;
/// Chinese text that GB18030 reads whole is GB18030 (Rapport's users are
/// mostly Chinese, and a few names are too little for the detector);
/// otherwise the detector's guess when it has seen enough text to be
/// right, and none when it has not.
fn guess(bytes: &[u8]) -> Result<&'static Encoding, DecodeError> {
    if let Some(line) = mostly_utf8(bytes) {
        return Err(DecodeError::Mixed { line });
    }
    let evidence = bytes.iter().filter(|b| !b.is_ascii()).count();
    let detected = detect(bytes);
    let reads = |e: &'static Encoding| !e.decode_without_bom_handling(bytes).1;
    if chinese_in_gb18030(bytes) {
        let east_asian = [
            encoding_rs::BIG5,
            encoding_rs::SHIFT_JIS,
            encoding_rs::EUC_JP,
            encoding_rs::EUC_KR,
        ];
        if evidence >= FIRM_EVIDENCE && east_asian.contains(&detected) && reads(detected) {
            return Ok(detected);
        }
        return Ok(GB18030);
    }
    if evidence >= EVIDENCE && reads(detected) {
        Ok(detected)
    } else {
        Err(DecodeError::Unsure)
    }
}

/// chardetng's guess among the legacy encodings (GBK said as GB18030).
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(1 << 20)];
    det.feed(sample, sample.len() == bytes.len());
    let e = det.guess(None, chardetng::Utf8Detection::Deny);
    if e == GBK { GB18030 } else { e }
}

/// The first line that is not UTF-8, when the file is UTF-8 but for a few
/// lines: at least as many lines with non-ASCII text are valid UTF-8 as
/// are not. (A GBK line passes as UTF-8 about once in a hundred.)
fn mostly_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut good, mut bad) = (0usize, 0usize);
    for line in bytes.split(|b| *b == b'\n') {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(_) => good += 1,
            Err(_) => bad += 1,
        }
    }
    (bad > 0 && good >= bad).then(|| first_bad_line(UTF_8, bytes))
}

/// GB18030 reads every byte, and the text holds Chinese: two CJK
/// ideographs in a row (a name). Latin text misread as GB18030 gives lone
/// ideographs between letters ("Müller" as "M黮ler").
fn chinese_in_gb18030(bytes: &[u8]) -> bool {
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return false;
    }
    let ideograph = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}');
    let mut previous = false;
    for c in text.chars() {
        let now = ideograph(c);
        if now && previous {
            return true;
        }
        previous = now;
    }
    false
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
    fn a_few_chinese_names_in_gbk_are_gb18030() {
        // Read as windows-1251 and ISO-8859-5 once: "Нх·ј", "ГТОВ".
        for src in ["name,phone\n王芳,13800000001\n", "name\n陈静\n", "name\n李娜\n"] {
            let d = decode(&gb(src), None).unwrap();
            assert_eq!((d.text.as_str(), name(d.encoding).as_str()), (src, "GB18030"));
        }
    }

    fn chinese_utf8_rows(n: usize) -> Vec<u8> {
        let mut b = "姓名,电话\n".as_bytes().to_vec();
        for i in 0..n {
            b.extend_from_slice(format!("客户{i},1380000{i:04}\n").as_bytes());
        }
        b
    }

    #[test]
    fn utf8_but_for_a_gbk_line_is_refused_as_mixed() {
        // Once read whole as Shift_JIS: every name mojibake.
        let mut b = chinese_utf8_rows(50);
        b.extend_from_slice(&gb("王芳,13900000001\n"));
        b.extend_from_slice("客户x,13900000002\n".as_bytes());
        assert_eq!(decode(&b, None), Err(DecodeError::Mixed { line: 52 }));
        // With a mark as well, and with a single stray byte.
        let mut marked = vec![0xEF, 0xBB, 0xBF];
        marked.extend_from_slice(&b);
        assert_eq!(decode(&marked, None), Err(DecodeError::Mixed { line: 52 }));
        let mut stray = chinese_utf8_rows(50);
        stray.extend_from_slice(b"ab\xffc,13900000003\n");
        assert_eq!(decode(&stray, None), Err(DecodeError::Mixed { line: 52 }));
        // The user's word still goes, and is checked.
        assert_eq!(
            decode(&b, Some(UTF_8)),
            Err(DecodeError::Invalid {
                encoding: "UTF-8".into(),
                line: 52
            })
        );
    }

    #[test]
    fn a_gbk_file_whose_odd_line_passes_as_utf8_is_still_gb18030() {
        // "陈静" is not UTF-8, but "郑伟" in GBK happens to be ("֣ΰ").
        let src = "姓名,电话\n郑伟,138\n陈静,139\n";
        let d = decode(&gb(src), None).unwrap();
        assert_eq!(d.text, src);
    }

    #[test]
    fn too_little_text_to_tell_is_refused_not_guessed() {
        // "Müller" in windows-1252 reads as GB18030 "M黮ler", a lone
        // ideograph: no Chinese, and one byte is no evidence.
        let latin = encoding_rs::WINDOWS_1252.encode("name\nMüller\n").0.into_owned();
        assert_eq!(decode(&latin, None), Err(DecodeError::Unsure));
        assert_eq!(
            decode(&latin, Some(encoding_rs::WINDOWS_1252)).unwrap().text,
            "name\nMüller\n"
        );
        // A lone high byte that GB18030 cannot read either.
        assert_eq!(decode(b"name\nCaf\xe9\n", None), Err(DecodeError::Unsure));
    }

    #[test]
    fn a_long_big5_file_is_not_taken_for_gb18030() {
        let rows = "陳大文,香港貿易有限公司\n黃美玲,台北電子\n林志明,高雄實業\n張家豪,台中機械\n";
        let src = format!("姓名,公司\n{}", rows.repeat(4));
        let bytes = encoding_rs::BIG5.encode(&src).0.into_owned();
        let d = decode(&bytes, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (src.as_str(), encoding_rs::BIG5));
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
